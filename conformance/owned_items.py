"""Items of a collection the suite creates, as one user, and removes again.

Shared by RBAC-08 (another user tries the item) and VAL-06 (a create or update carrying
fields the document does not accept): the create, the read-back and the cleanup.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from pytest_conformance import not_applicable
from pytest_conformance.target_model import Collection, DeclaredOperation, TargetModel

from conformance.assertions.describe import mismatch
from conformance.operation_calls import Call, Unbuildable, representative_call


@dataclass(frozen=True)
class Created:
    """An item the suite created: its id, and the answer that created it."""

    id: Any
    body: dict[str, Any]


def deletable(collection: Collection) -> None:
    """Not applicable when the suite could not remove what it creates."""
    if collection.delete is None:
        not_applicable(
            f"{collection.path}: the document declares no DELETE on {collection.item_path}, "
            "so the suite would leave the items it creates behind"
        )


def item_id(collection: Collection, body: Mapping[str, Any]) -> Any:
    """The created item's id: the member named like the item path's parameter, else ``id``."""
    for name in (collection.id_parameter, "id"):
        value = body.get(name)
        if isinstance(value, int | str) and not isinstance(value, bool):
            return value
    return None


def create_call(model: TargetModel, collection: Collection, marker: str, body: Any = None) -> Call:
    try:
        return representative_call(model, collection.create, body=body, marker=marker)
    except Unbuildable as error:
        not_applicable(str(error))


def item_call(
    model: TargetModel,
    collection: Collection,
    operation: DeclaredOperation,
    id_: Any,
    body: Any = None,
) -> Call:
    try:
        return representative_call(
            model, operation, path_values={collection.id_parameter: id_}, body=body
        )
    except Unbuildable as error:
        not_applicable(str(error))


def read(
    client: httpx.Client, model: TargetModel, collection: Collection, id_: Any,
    headers: Mapping[str, str],
) -> httpx.Response:  # fmt: skip
    return item_call(model, collection, collection.read, id_).send(client, headers)


def read_back(
    client: httpx.Client, model: TargetModel, collection: Collection, id_: Any,
    headers: Mapping[str, str], what: str,
) -> dict[str, Any]:  # fmt: skip
    """The item as its creator reads it; a failure when it is gone."""
    __tracebackhide__ = True
    response = read(client, model, collection, id_, headers)
    if response.status_code != 200:
        mismatch(f"{what}: its creator cannot read it back", "200", response)
    try:
        body = response.json()
    except ValueError:
        mismatch(f"{what}: the read-back is not JSON", "a JSON object", response)
    if not isinstance(body, dict):
        mismatch(f"{what}: the read-back is not a JSON object", "a JSON object", response)
    return body


def baseline(
    client: httpx.Client, model: TargetModel, collection: Collection, id_: Any,
    headers: Mapping[str, str],
) -> dict[str, Any]:  # fmt: skip
    """The item as its creator reads it before the check tries anything; not applicable
    when the creator cannot read it (a collection's round trip is DATA's to judge)."""
    response = read(client, model, collection, id_, headers)
    body = _object(response) if response.status_code == 200 else None
    if not body:
        not_applicable(
            f"{collection.read.name}: the item's creator cannot read it back (answered "
            f"{response.status_code}), so nothing tells whether it changed"
        )
    return body


def delete(
    client: httpx.Client, model: TargetModel, collection: Collection, id_: Any,
    headers: Mapping[str, str],
) -> None:  # fmt: skip
    if collection.delete is not None:
        item_call(model, collection, collection.delete, id_).send(client, headers)


@contextlib.contextmanager
def removed_afterwards(
    client: httpx.Client, model: TargetModel, collection: Collection,
    headers: Mapping[str, str], response: httpx.Response,
) -> Iterator[Created | None]:  # fmt: skip
    """The item a create answered (``None`` when it created none); deleted when the block
    ends, as its creator."""
    created: Created | None = None
    if 200 <= response.status_code < 300:
        try:
            body = response.json()
        except ValueError:
            body = None
        id_ = item_id(collection, body) if isinstance(body, dict) else None
        if isinstance(body, dict) and id_ is not None:
            created = Created(id_, body)
    try:
        yield created
    finally:
        if created is not None:
            delete(client, model, collection, created.id, headers)


def created_by(
    client: httpx.Client, model: TargetModel, collection: Collection, marker: str,
    headers: Mapping[str, str],
) -> contextlib.AbstractContextManager[Created | None]:  # fmt: skip
    """Create a representative item as the user of ``headers``: not applicable when the
    target does not create it (that is another check's business), removed afterwards."""
    response = create_call(model, collection, marker).send(client, headers)
    if not 200 <= response.status_code < 300:
        not_applicable(
            f"{collection.create.name}: a representative create answered "
            f"{response.status_code}, so there is no item to try"
        )
    if item_id(collection, _object(response)) is None:
        not_applicable(
            f"{collection.create.name}: the create's answer names no id "
            f"({collection.id_parameter} or id) to reach the item by"
        )
    return removed_afterwards(client, model, collection, headers, response)


def _object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
