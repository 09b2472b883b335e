"""RBAC-08 (OWASP API1:2023): an item one user created stays out of another user's reach.

Which collections' items belong to their creator is the target's word, never a guess from
what it lets through: a read schema with an owner field (``Collection.owner_field``) or the
profile's ``[ownership] collections``. If another user can read an item of such a
collection, that is the leak the check is for; of any other collection it may be public.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

import httpx
from pytest_conformance import Profile, Target, not_applicable
from pytest_conformance.target_model import Collection, TargetModel

from conformance.assertions.describe import mismatch
from conformance.owned_items import baseline, created_by, deletable, item_call, read, read_back
from conformance.same_role_users import User, two_users

REFUSED = (403, 404)
SPEC_HINT = "SPEC.md RBAC-08 (OWASP API1:2023): another non-admin user gets 404 or 403"


def owned(collection: Collection, profile: Profile, model: TargetModel) -> str:
    """What declares the collection's items their creator's; not applicable when nothing."""
    if collection.owner_field is not None:
        return f"its read schema's owner field {collection.owner_field!r}"
    prefix = model.document.base_path if model.document is not None else ""
    declared = set(profile.ownership.collections)
    if collection.path in declared or prefix + collection.path in declared:
        return "the profile's [ownership] collections"
    not_applicable(
        f"{collection.path}: nothing says its items belong to their creator (no owner field "
        "in the read schema, not in the profile's [ownership] collections)"
    )


def _refused(response: httpx.Response, what: str) -> None:
    __tracebackhide__ = True
    if response.status_code not in REFUSED:
        mismatch(what, "404 or 403", response, hint=SPEC_HINT)


def _unchanged(
    before: Mapping[str, Any], after: Mapping[str, Any], sent: Any, response: httpx.Response,
    what: str,
) -> None:  # fmt: skip
    __tracebackhide__ = True
    fields = sent.keys() if isinstance(sent, dict) else before.keys()
    changed = sorted(f for f in fields if f in before and before.get(f) != after.get(f))
    if changed:
        mismatch(
            f"{what}: its creator now reads other values of {changed}",
            f"{ {f: before[f] for f in changed} }",
            response,
            hint=SPEC_HINT,
        )


def assert_items_stay_with_creator(
    collection: Collection, model: TargetModel, target: Target, client: httpx.Client,
    profile: Profile,
) -> None:  # fmt: skip
    __tracebackhide__ = True
    owned(collection, profile, model)
    deletable(collection)
    with two_users(target, client, profile, model) as (creator, other):
        marker = f"rbac08-{secrets.token_hex(4)}"
        with created_by(client, model, collection, marker, creator.headers) as created:
            assert created is not None  # created_by is not applicable otherwise
            _try(collection, model, client, creator, other, created.id)


def _try(
    collection: Collection, model: TargetModel, client: httpx.Client, creator: User,
    other: User, id_: Any,
) -> None:  # fmt: skip
    __tracebackhide__ = True
    whose = f"{collection.item_path} created by {creator.name}"
    before = baseline(client, model, collection, id_, creator.headers)
    response = read(client, model, collection, id_, other.headers)
    _refused(response, f"{other.name} reads the item {whose}")
    if collection.update is not None:
        call = item_call(model, collection, collection.update, id_)
        response = call.send(client, other.headers)
        _refused(response, f"{other.name} updates the item {whose}")
        after = read_back(client, model, collection, id_, creator.headers, whose)
        _unchanged(before, after, call.json, response, f"after {other.name}'s refused update")
    if collection.delete is not None:
        response = item_call(model, collection, collection.delete, id_).send(client, other.headers)
        _refused(response, f"{other.name} deletes the item {whose}")
        read_back(client, model, collection, id_, creator.headers, f"after {other.name}'s delete")
