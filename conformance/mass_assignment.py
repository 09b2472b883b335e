"""VAL-06 (OWASP API3:2023): a create or update carrying fields its operation does not accept.

The smuggled fields: what the read schema shows but the operation's write schema does not
declare (``id``, ``owner_id``, ``created_at``, ...), plus the names that grant power
(``is_superuser``, ``roles``, ...) the write schema does not declare either. Each gets a
value the target would not give by itself (another id, true for a flag that is false), so
a field the target honoured shows in its answer or read-back.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import httpx
from pytest_conformance import Profile, not_applicable
from pytest_conformance.target_model import Collection, TargetModel
from pytest_conformance.target_model.operations import DeclaredOperation, object_properties

from conformance.assertions.describe import mismatch
from conformance.examples import merged
from conformance.operation_calls import ABSENT_INTEGER, credentials_for
from conformance.owned_items import (
    Created,
    baseline,
    create_call,
    created_by,
    deletable,
    item_call,
    read_back,
    removed_afterwards,
)

STANDARD_FIELDS: dict[str, Any] = {
    "id": ABSENT_INTEGER - 7,
    "owner_id": ABSENT_INTEGER - 11,
    "user_id": ABSENT_INTEGER - 13,
    "created_by": ABSENT_INTEGER - 17,
    "role": "admin",
    "roles": ["admin"],
    "is_superuser": True,
    "is_admin": True,
    "is_staff": True,
    "is_verified": True,
    "permissions": ["*"],
    "scopes": ["admin"],
}
SPEC_HINT = "SPEC.md VAL-06 (OWASP API3:2023): fields the operation does not accept change nothing"
CREATED_AT = "2001-02-03T04:05:06Z"


def smuggled_fields(
    model: TargetModel, collection: Collection, operation: DeclaredOperation,
    baseline: Mapping[str, Any],
) -> dict[str, Any]:  # fmt: skip
    """Fields to send that ``operation``'s write schema does not declare, with values the
    target would not give (unlike ``baseline``, an item as the target made it)."""
    document = model.document
    if document is None or operation.body_media != "application/json":
        return {}
    accepted = object_properties(document, operation.body_schema)
    shown = object_properties(document, collection.read.success_schema)
    fields: dict[str, Any] = {}
    for name, schema in shown.items():
        if name not in accepted:
            fields[name] = _other_value(merged(document, schema), baseline.get(name))
    for name, value in STANDARD_FIELDS.items():
        if name not in accepted and name not in fields:
            fields[name] = value
    return {name: value for name, value in fields.items() if value is not None}


def _other_value(schema: Mapping[str, Any], current: Any) -> Any:
    """A value of ``schema``'s kind unlike ``current`` (``None`` when none is sure to be)."""
    if isinstance(current, bool):
        return not current
    if isinstance(current, int):
        return ABSENT_INTEGER - 3 if current != ABSENT_INTEGER - 3 else ABSENT_INTEGER - 5
    if isinstance(current, float):
        return current + 1000.5
    if isinstance(current, str):
        if _is_uuid(current) or schema.get("format") == "uuid":
            return str(uuid.uuid4())
        if schema.get("format") in ("date-time", "date"):
            return CREATED_AT if schema.get("format") == "date-time" else CREATED_AT[:10]
        return f"conf-smuggled-{secrets.token_hex(4)}"
    if isinstance(current, list):
        return ["admin"]
    if current is None:  # absent or null: any value of the field's own kind will show
        return _of_kind(schema)
    return None


def _of_kind(schema: Mapping[str, Any]) -> Any:
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    alternatives = schema.get("anyOf")
    for alternative in alternatives if isinstance(alternatives, list) else []:
        if isinstance(alternative, dict):
            kinds.append(alternative.get("type"))
            if alternative.get("format"):
                schema = {**schema, "format": alternative["format"]}
    for kind, value in (("boolean", True), ("integer", ABSENT_INTEGER - 3)):
        if kind in kinds:
            return value
    if "string" in kinds:
        return _other_value(schema, "")
    return None


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.lower() == right.lower()
    return bool(left == right) and type(left) is type(right)


def _honoured(body: Mapping[str, Any], smuggled: Mapping[str, Any]) -> list[str]:
    return sorted(name for name, value in smuggled.items() if name in body and _same(
        body[name], value))  # fmt: skip


def _judge(
    response: httpx.Response, bodies: list[Mapping[str, Any]], smuggled: Mapping[str, Any],
    what: str,
) -> None:  # fmt: skip
    __tracebackhide__ = True
    if response.status_code >= 500:
        mismatch(f"{what}: the target failed", "2xx (ignored) or 4xx (refused)", response,
                 hint=SPEC_HINT)  # fmt: skip
    for body in bodies:
        honoured = _honoured(body, smuggled)
        if honoured:
            mismatch(
                f"{what}: the target took {honoured}, which the operation does not accept",
                f"none of { {name: smuggled[name] for name in honoured} }",
                response,
                hint=SPEC_HINT,
            )


def _answer(response: httpx.Response) -> list[Mapping[str, Any]]:
    if not 200 <= response.status_code < 300:
        return []
    try:
        body = response.json()
    except ValueError:
        return []
    return [body] if isinstance(body, dict) else []


def assert_create_takes_no_extra_fields(
    collection: Collection, model: TargetModel, client: httpx.Client, profile: Profile
) -> None:
    __tracebackhide__ = True
    deletable(collection)
    headers = credentials_for(client, profile, model, collection.create)
    with created_by(client, model, collection, "val06", headers) as plain:
        assert plain is not None
        made = baseline(client, model, collection, plain.id, headers)
        call = create_call(model, collection, f"val06-{secrets.token_hex(3)}")
        if not isinstance(call.json, dict):
            not_applicable(f"{collection.create.name}: its request body is not a JSON object")
        smuggled = smuggled_fields(model, collection, collection.create, {**plain.body, **made})
        response = replace(call, json={**smuggled, **call.json}).send(client, headers)
        what = f"{collection.create.name} with {sorted(smuggled)}"
        with removed_afterwards(client, model, collection, headers, response) as created:
            _judge(response, _answer(response), smuggled, what)
            if created is not None:
                after = read_back(client, model, collection, created.id, headers, what)
                _judge(response, [after], smuggled, what)


def assert_update_takes_no_extra_fields(
    collection: Collection, model: TargetModel, client: httpx.Client, profile: Profile
) -> None:
    __tracebackhide__ = True
    update = collection.update
    if update is None:
        not_applicable(f"{collection.path}: the document declares no update of its items")
    deletable(collection)
    headers = credentials_for(client, profile, model, collection.create)
    with created_by(client, model, collection, "val06", headers) as created:
        assert created is not None
        _update(collection, model, client, update, headers, created)


def _update(
    collection: Collection, model: TargetModel, client: httpx.Client,
    update: DeclaredOperation, headers: dict[str, str], created: Created,
) -> None:  # fmt: skip
    __tracebackhide__ = True
    before = baseline(client, model, collection, created.id, headers)
    call = item_call(model, collection, update, created.id)
    if not isinstance(call.json, dict):
        not_applicable(f"{update.name}: its request body is not a JSON object")
    smuggled = smuggled_fields(model, collection, update, before)
    response = replace(call, json={**smuggled, **call.json}).send(client, headers)
    what = f"{update.name} with {sorted(smuggled)}"
    _judge(response, _answer(response), smuggled, what)
    after = read_back(client, model, collection, created.id, headers, f"after {what}")
    _judge(response, [after], smuggled, what)
