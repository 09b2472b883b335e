"""Walking offset and cursor pages (PAGE-01..05).

``GET /items`` is rate-limited per client, so every page request goes out with a client
identity of its own: a walk never meets a 429 it did not cause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from pytest_conformance import Profile, Target

from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import json_body
from conformance.authorized import signed_in
from conformance.items import items_of

MAX_PAGES = 10_000
# Galloping doubles the skip: 64 steps pass 2**64 rows, more than any table holds. An
# offset that never reaches an item we created is the finding, not a reason to go on.
MAX_GALLOP_STEPS = 64


def get_fresh(
    target: Target, profile: Profile, path: str, params: dict[str, Any]
) -> httpx.Response:
    """One GET from a client identity nobody else uses (with credentials where the target's
    document declares the operation secured)."""
    with signed_in(target, profile) as client:
        response = client.get(path, params=params)
        response.read()
        return response


def offset_params(profile: Profile, skip: int, limit: int) -> dict[str, Any]:
    """The query of the page starting at ``skip``: skip/limit, or page/size (skip a multiple)."""
    pagination = profile.pagination
    if pagination.style == "page":
        if skip % limit:
            raise ValueError(f"page style: skip {skip} is not a multiple of the size {limit}")
        number = skip // limit + pagination.first_page
        return {pagination.offset_param: number, pagination.limit_param: limit}
    return {pagination.offset_param: skip, pagination.limit_param: limit}


def offset_page(target: Target, profile: Profile, skip: int, limit: int) -> list[dict[str, Any]]:
    __tracebackhide__ = True
    response = get_fresh(target, profile, profile.paths.items, offset_params(profile, skip, limit))
    if response.status_code != 200:
        mismatch(f"offset page skip={skip} limit={limit}", "status 200", response)
    items = items_of(response, "an offset page", profile.pagination.items_field)
    if len(items) > limit:
        mismatch(f"an offset page holds more than limit={limit} items", f"<= {limit}", response)
    return items


def offset_of(target: Target, profile: Profile, item_id: int) -> int:
    """The smallest skip whose first item has an id >= ``item_id`` (galloping, then bisecting)."""
    __tracebackhide__ = True
    low, high = -1, 0
    for _ in range(MAX_GALLOP_STEPS):
        page = offset_page(target, profile, high, 1)
        if not page or page[0]["id"] >= item_id:
            break
        low, high = high, high * 2 + 1
    else:
        pytest.fail(
            f"offset pages of limit 1 never reach item {item_id}: skip={low} still starts at "
            f"id {page[0]['id']} (skip must move the page forward)",
            pytrace=False,
        )
    while high - low > 1:
        middle = (low + high) // 2
        page = offset_page(target, profile, middle, 1)
        if not page or page[0]["id"] >= item_id:
            high = middle
        else:
            low = middle
    return high


@dataclass
class CursorPage:
    response: httpx.Response
    items: list[dict[str, Any]]
    next_cursor: str | None
    has_more: bool


def cursor_page(target: Target, profile: Profile, cursor: str | None, limit: int) -> CursorPage:
    """One cursor page, its shape checked: items, next_cursor null exactly when not has_more."""
    __tracebackhide__ = True
    pagination = profile.pagination
    params: dict[str, Any] = {pagination.cursor_limit_param: limit}
    if cursor is not None:
        params[pagination.cursor_param] = cursor
    response = get_fresh(target, profile, profile.paths.items_cursor, params)
    if response.status_code != 200:
        mismatch(f"cursor page limit={limit}", "status 200", response)
    items = items_of(response, "a cursor page", pagination.items_field)
    body = json_body(response, "a cursor page")
    next_cursor = body.get(pagination.next_cursor_field)
    has_more_field = pagination.has_more_field
    has_more = body.get(has_more_field) if has_more_field else next_cursor is not None
    if not isinstance(has_more, bool) or not (next_cursor is None or isinstance(next_cursor, str)):
        shape = f'"{pagination.items_field}", "{pagination.next_cursor_field}": str|null'
        if has_more_field:
            shape += f', "{has_more_field}": bool'
        mismatch("a cursor page's shape", "{" + shape + "}", response)
    if (next_cursor is None) == has_more or next_cursor == "":
        mismatch(
            "next_cursor must be null exactly when has_more is false",
            "has_more true with a cursor, or false with null",
            response,
        )
    if len(items) > limit:
        mismatch(f"a cursor page holds more than limit={limit} items", f"<= {limit}", response)
    return CursorPage(response, items, next_cursor, has_more)


@dataclass
class CursorWalk:
    """Every id seen, in order, and the pages that showed them."""

    ids: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    pages: int = 0

    def take(self, page: CursorPage) -> None:
        """Record a page; ids must keep ascending across the whole walk (no repeat, no loop)."""
        __tracebackhide__ = True
        for entry in page.items:
            if self.ids and entry["id"] <= self.ids[-1]:
                mismatch(
                    f"cursor page {self.pages + 1} goes back to id {entry['id']} after "
                    f"{self.ids[-1]}",
                    "ids ascending, each item once",
                    page.response,
                )
            self.ids.append(entry["id"])
            self.names[entry["id"]] = str(entry.get("name", ""))
        self.pages += 1
        if self.pages > MAX_PAGES:
            mismatch(
                f"a cursor walk did not end after {MAX_PAGES} pages",
                "has_more false at the end",
                page.response,
            )


def walk_cursor(
    target: Target,
    profile: Profile,
    limit: int,
    *,
    cursor: str | None = None,
    walk: CursorWalk | None = None,
) -> CursorWalk:
    """Follow next_cursor from ``cursor`` (the first page) until has_more is false, adding
    the pages to ``walk`` (a new one)."""
    walk = walk if walk is not None else CursorWalk()
    while True:
        page = cursor_page(target, profile, cursor, limit)
        walk.take(page)
        if not page.has_more:
            return walk
        cursor = page.next_cursor
