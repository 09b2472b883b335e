"""Walking a declared list operation (PAGE-07) page by page, in its own style, to the end.

Offset lists move ``skip``/``offset`` by the items received, page lists count pages from
their first number, cursor lists follow the next cursor their answer names. A walk
starts in big pages (the documented maximum) and, from the page that holds the first of
the items the check watches, goes on in small pages, so page boundaries fall among them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from pytest_conformance import Target
from pytest_conformance.target_model import ListOperation, TargetModel
from pytest_conformance.target_model.operations import object_properties, resolved

from conformance.assertions.describe import mismatch
from conformance.operation_calls import Call
from conformance.request_budget import RequestBudget

NEXT_CURSOR_FIELDS = ("next_cursor", "nextCursor", "next_page_token", "nextPageToken", "next")
HAS_MORE_FIELDS = ("has_more", "hasMore", "has_next", "hasNext")
BIG_PAGE = 50  # when the document names neither a maximum nor a default size
MAX_PAGES = 10_000


def item_key(entry: Any, id_fields: tuple[str, ...] = ("id",)) -> str:
    """An entry's identity: its id (the first of ``id_fields`` it has), else the whole entry."""
    if isinstance(entry, dict):
        for name in id_fields:
            value = entry.get(name)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return f"id:{value}"
    return json.dumps(entry, sort_keys=True, default=str)


def first_page_number(model: TargetModel, listing: ListOperation) -> int:
    parameter = listing.operation.parameter(listing.position, "query")
    schema = resolved(model.document, parameter.schema) if parameter and model.document else {}
    for key in ("minimum", "default"):
        value = schema.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    return 1


def next_cursor_field(model: TargetModel, listing: ListOperation) -> str | None:
    if model.document is None:
        return None
    names = object_properties(model.document, listing.operation.success_schema)
    return next((name for name in NEXT_CURSOR_FIELDS if name in names), None)


def sizes(listing: ListOperation) -> tuple[int, int]:
    """(big, small) page sizes within the documented bounds; for page numbers, small
    divides big so the walk can switch sizes at a page boundary."""
    low = max(listing.size_minimum or 1, 1)
    big = listing.size_maximum or listing.size_default or BIG_PAGE
    small = max(low, 2) if big >= max(low, 2) else big
    if listing.style == "page":
        big = max(big // small * small, small)
    return big, small


@dataclass
class Page:
    response: httpx.Response
    entries: list[Any]
    following: Any  # the next page's position, None at the end


@dataclass
class Walk:
    """The entries a walk saw, in order, and the requests it took."""

    entries: list[Any] = field(default_factory=list)
    pages: int = 0

    id_fields: tuple[str, ...] = ("id",)

    @property
    def keys(self) -> list[str]:
        return [item_key(entry, self.id_fields) for entry in self.entries]


class Walker:
    """Pages of one list operation, each request from a client identity of its own (a
    list may be rate-limited per client)."""

    def __init__(
        self,
        target: Target,
        model: TargetModel,
        listing: ListOperation,
        base: Call,
        headers: dict[str, str],
        budget: RequestBudget,
        id_fields: tuple[str, ...] = ("id",),
    ) -> None:
        self.target, self.model, self.listing = target, model, listing
        self.id_fields = id_fields
        self.base, self.headers, self.budget = base, headers, budget
        self.cursor_field = next_cursor_field(model, listing)
        self.start: Any = (
            None if listing.style == "cursor"
            else first_page_number(model, listing) if listing.style == "page" else 0
        )  # fmt: skip

    @property
    def walkable(self) -> str | None:
        """Why the walk cannot be followed, or None."""
        if self.listing.style == "cursor" and self.cursor_field is None:
            return (
                f"{self.listing.operation.name}: its answer names no next cursor "
                f"({', '.join(NEXT_CURSOR_FIELDS)})"
            )
        if self.listing.items_field == "":
            return f"{self.listing.operation.name}: its answer holds no array of items"
        return None

    def get(self, params: dict[str, Any], *, validate: bool = True) -> httpx.Response:
        self.budget.spend(self.listing.operation)
        with self.target.client(validate=validate) as client:
            response = client.get(
                self.base.path, params={**self.base.params, **params},
                headers={**self.base.headers, **self.headers},
            )  # fmt: skip
            response.read()
            return response

    def page(self, position: Any, size: int) -> Page:
        __tracebackhide__ = True
        listing = self.listing
        params: dict[str, Any] = {listing.size: size}
        if position is not None:
            params[listing.position] = position
        response = self.get(params)
        if not response.is_success:
            mismatch(f"PAGE-07 {listing.operation.name} page {params}", "status 2xx", response)
        entries = self.entries(response)
        if len(entries) > size:
            mismatch(
                f"PAGE-07 a page of {listing.size}={size} holds {len(entries)} items",
                f"at most {size} items",
                response,
            )
        return Page(response, entries, self._following(position, size, response, entries))

    def entries(self, response: httpx.Response) -> list[Any]:
        __tracebackhide__ = True
        try:
            body = json.loads(response.content)
        except ValueError:
            mismatch("PAGE-07 a page is not JSON", "a JSON page", response)
        field_name = self.listing.items_field
        entries = body.get(field_name) if field_name and isinstance(body, dict) else body
        if not isinstance(entries, list):
            mismatch(
                f"PAGE-07 {self.listing.operation.name}: a page without its items",
                f"a JSON array{f' in {field_name!r}' if field_name else ''}",
                response,
            )
        return entries

    def _following(
        self, position: Any, size: int, response: httpx.Response, entries: list[Any]
    ) -> Any:
        if self.listing.style == "cursor":
            body = json.loads(response.content)
            cursor = body.get(self.cursor_field or "") if isinstance(body, dict) else None
            more = next((body[name] for name in HAS_MORE_FIELDS if name in body), True)
            return cursor if isinstance(cursor, str) and cursor and more is not False else None
        if len(entries) < size or not entries:
            return None
        return position + (1 if self.listing.style == "page" else len(entries))

    def walk(self, big: int, small: int, switch: Callable[[list[Any]], bool]) -> Walk:
        """From the start to the end: big pages until a big page would hold an entry for
        which ``switch`` is true, then small pages from that position on."""
        walk = Walk(id_fields=self.id_fields)
        position, size = self.start, big
        for _ in range(MAX_PAGES):
            page = self.page(position, size)
            walk.pages += 1
            if size == big and big != small and switch(page.entries):
                size = small
                if self.listing.style == "page":
                    position = (position - self.start) * (big // small) + self.start
                continue  # the same position again, in small pages
            walk.entries.extend(page.entries)
            if page.following is None:
                return walk
            position = page.following
        mismatch(
            f"PAGE-07 {self.listing.operation.name}: no end after {MAX_PAGES} pages",
            "a last page",
            page.response,
        )

    def pages_needed(self, count: int, size: int) -> int:
        return math.ceil(count / size) + 1
