"""Items a check creates for itself, named with a marker so concurrent rows can be ignored.

Other checks (and other xdist workers) add and delete items at the same time, so the
data checks never reason about the whole table: they create their own rows, tagged with
a unique marker in the name, and look only at rows bearing it.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx
from pytest_conformance import Profile, Target

from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import json_body
from conformance.authorized import signed_in


def new_marker() -> str:
    return f"cf-{uuid.uuid4().hex[:12]}"


@dataclass(frozen=True)
class CreatedItem:
    id: int
    name: str
    body: dict[str, Any]


def create_item(
    client: httpx.Client, profile: Profile, name: str, price: float = 9.5, **extra: Any
) -> CreatedItem:
    """POST one item; 200 or 201 with an integer id, else the check fails."""
    __tracebackhide__ = True
    response = client.post(profile.paths.items, json={"name": name, "price": price, **extra})
    if response.status_code not in (200, 201):
        mismatch(f"could not create the item {name!r}", "status 200 or 201", response)
    body = json_body(response, "the created item")
    if not isinstance(body.get("id"), int):
        mismatch("the created item has no integer id", '{"id": int, ...}', response)
    return CreatedItem(id=body["id"], name=name, body=body)


class Ledger:
    """The items one check creates, deleted when it ends: the suite leaves no rows behind.

    ``with Ledger(target, profile) as ledger:`` and ``ledger.create(...)``; on leaving, what
    is left is deleted, newest first (an item the check deleted itself answers 404). The
    cleanup never hides the check's own verdict: a transport error there is ignored.
    """

    def __init__(self, target: Target, profile: Profile) -> None:
        self._target, self._profile = target, profile
        self._ids: list[int] = []
        self._lock = threading.Lock()  # DATA-05 creates from several threads

    def create(
        self, client: httpx.Client, name: str, price: float = 9.5, **extra: Any
    ) -> CreatedItem:
        __tracebackhide__ = True
        item = create_item(client, self._profile, name, price, **extra)
        with self._lock:
            self._ids.append(item.id)
        return item

    def create_many(self, marker: str, count: int) -> list[CreatedItem]:
        with signed_in(self._target, self._profile) as client:
            return [self.create(client, f"{marker}-{n:03d}") for n in range(count)]

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._ids:
            return
        with signed_in(self._target, self._profile) as client:
            for item_id in reversed(self._ids):
                try:
                    delete_item(client, self._profile, item_id)
                except httpx.HTTPError:
                    continue


def delete_item(client: httpx.Client, profile: Profile, item_id: int) -> httpx.Response:
    return client.delete(profile.paths.item.format(item_id=item_id))


def items_of(response: httpx.Response, what: str, field: str = "items") -> list[dict[str, Any]]:
    """The entries of a page (``field``, the profile's ``pagination.items_field``), with ids."""
    __tracebackhide__ = True
    body = json_body(response, what)
    items = body.get(field)
    if not isinstance(items, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("id"), int) for entry in items
    ):
        mismatch(
            f"{what}: no list of items with integer ids",
            f'{{"{field}": [{{"id": int}}]}}',
            response,
        )
    return items


def marked(items: list[dict[str, Any]], marker: str) -> list[int]:
    """Ids of the entries whose name carries ``marker``, in page order."""
    return [
        entry["id"]
        for entry in items
        if isinstance(entry.get("name"), str) and entry["name"].startswith(marker)
    ]
