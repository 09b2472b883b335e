"""PAGE — offset and keyset cursor pagination (SPEC.md, tutorial Examples 28, 34, 50)."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from pytest_conformance import Profile, Target, check
from pytest_conformance.profile import Pagination

from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import assert_envelope, assert_message, json_body
from conformance.authorized import signed_in
from conformance.items import create_item, create_items, delete_item, items_of, new_marker
from conformance.walkers import (
    CursorWalk,
    cursor_page,
    get_fresh,
    offset_of,
    offset_page,
    offset_params,
    walk_cursor,
)

WALK_ATTEMPTS = 3  # other checks delete their rows meanwhile; an offset walk may then shift


@check(
    "PAGE-01",
    "an offset page names its skip and limit; limit defaults to 20",
    ref="Ex 28",
    needs=("pagination",),
)
def test_offset_page_shape(target: Target, conformance_profile: Profile) -> None:
    pagination = conformance_profile.pagination
    second = offset_params(conformance_profile, 3 if pagination.style == "page" else 1, 3)
    default = {
        pagination.offset_param: 0 if pagination.style == "offset" else pagination.first_page
    }
    for params, sent in (({}, {**default, pagination.limit_param: pagination.default_limit}),
                         (second, second)):  # fmt: skip
        response = get_fresh(target, conformance_profile, conformance_profile.paths.items, params)
        if response.status_code != 200:
            mismatch(f"GET items {params}", "status 200", response)
        items = items_of(response, "an offset page", pagination.items_field)
        _assert_page_members(
            json_body(response, "an offset page"), items, sent, response, pagination
        )


def _assert_page_members(
    body: dict[str, Any],
    items: list[dict[str, Any]],
    sent: dict[str, Any],
    response: httpx.Response,
    pagination: Pagination,
) -> None:
    """At most ``limit`` entries; the echoes and the total the profile names."""
    __tracebackhide__ = True
    limit = sent[pagination.limit_param]
    want = {pagination.items_field: f"[<= {limit}]"}
    echoes = {pagination.skip_field: pagination.offset_param,
              pagination.limit_field: pagination.limit_param}  # fmt: skip
    wrong = len(items) > limit
    for field, param in echoes.items():
        if field:
            want[field] = str(sent[param])
            wrong = wrong or body.get(field) != sent[param]
    total = pagination.total_field
    if total:
        want[total] = f"int >= {len(items)}"
        count = body.get(total)
        wrong = wrong or not isinstance(count, int) or isinstance(count, bool) or count < len(items)
    if wrong:
        shown = ", ".join(f'"{key}": {value}' for key, value in want.items())
        mismatch(f"an offset page for {sent}", "{" + shown + "}", response)


@check("PAGE-01", "a limit above the maximum is 400", ref="Ex 28", needs=("pagination",))
def test_offset_limit_above_maximum(target: Target, conformance_profile: Profile) -> None:
    pagination = conformance_profile.pagination
    maximum, name = pagination.max_limit, pagination.limit_param
    response = get_fresh(
        target, conformance_profile, conformance_profile.paths.items, {name: maximum + 1}
    )
    if response.status_code != pagination.max_limit_status:
        mismatch(f"{name}={maximum + 1} was not refused", f"status {pagination.max_limit_status}",
                 response)  # fmt: skip
    envelope = assert_envelope(response, conformance_profile.envelope)
    message = conformance_profile.messages.limit_exceeded.format(max=maximum)
    assert_message(
        envelope, message, response, f"the {response.status_code} does not name the maximum"
    )
    at_maximum = get_fresh(
        target, conformance_profile, conformance_profile.paths.items, {name: maximum}
    )
    if at_maximum.status_code != 200:
        mismatch(f"PAGE-01: the maximum limit itself ({name}={maximum}) was refused",
                 "status 200", at_maximum)  # fmt: skip


@check("PAGE-01", "a negative skip or a limit below 1 is 422", ref="Ex 28", needs=("pagination",))
@pytest.mark.parametrize(
    "params",
    [{"skip": -1}, {"limit": 0}, {"limit": -5}],
    ids=["skip-negative", "limit-zero", "limit-negative"],
)
def test_offset_out_of_range(
    params: dict[str, Any], target: Target, conformance_profile: Profile
) -> None:
    pagination = conformance_profile.pagination
    names = {"skip": pagination.offset_param, "limit": pagination.limit_param}
    params = {names[key]: value for key, value in params.items()}
    status = conformance_profile.errors.validation_status
    response = get_fresh(target, conformance_profile, conformance_profile.paths.items, params)
    if response.status_code != status:
        mismatch(f"GET items {params} was not rejected", f"status {status}", response)
    assert_envelope(response, conformance_profile.envelope)


def _offset_walk(target: Target, profile: Profile, ours: list[int], limit: int) -> list[int]:
    """Walk offset pages across our rows; the ids seen, in order (all rows, not only ours).

    The pages are the ones a client walking from the start asks for: skips at multiples of
    ``limit``, from the page before the one holding our first row. (A walk that started at
    an arbitrary skip next to our rows would cross other boundaries than a client's, and
    miss an overlap at the client's page boundaries.)
    """
    skip = max(0, (offset_of(target, profile, ours[0]) // limit - 1) * limit)
    seen: list[int] = []
    while True:
        page = offset_page(target, profile, skip, limit)
        seen.extend(entry["id"] for entry in page)
        if len(page) < limit or ours[-1] in seen or (page and page[-1]["id"] > ours[-1]):
            return seen
        skip += limit


@check(
    "PAGE-02",
    "offset pages are disjoint and return every item once, in order",
    ref="Ex 28",
    needs=("pagination",),
)
def test_offset_walk_exactly_once(target: Target, conformance_profile: Profile) -> None:
    ours = sorted(item.id for item in create_items(target, conformance_profile, new_marker(), 7))
    problem = ""
    for _ in range(WALK_ATTEMPTS):
        # the boundaries a client crosses first, wherever our rows happen to lie
        start = [
            entry["id"]
            for skip in range(0, START_PAGES * 3, 3)
            for entry in offset_page(target, conformance_profile, skip, 3)
        ]
        seen = _offset_walk(target, conformance_profile, ours, limit=3)
        mine = [item_id for item_id in seen if item_id in set(ours)]
        if start != sorted(set(start)):
            problem = f"the first {START_PAGES} pages repeat or reorder items: ids {start}"
        elif seen != sorted(set(seen)):
            problem = f"the pages across our items repeat or reorder items: ids {seen}"
        elif mine != ours:
            problem = f"our items {ours} came back as {mine}"
        else:
            return
    pytest.fail(f"PAGE-02: walking skip/limit=3 over the items we created: {problem}")


START_PAGES = 3  # pages from skip=0 walked before those across our rows


@check(
    "PAGE-03",
    "cursor pages return every item once, ascending, until has_more is false",
    ref="Ex 50",
    needs=("cursor_pagination",),
)
def test_cursor_walk_exactly_once(target: Target, conformance_profile: Profile) -> None:
    marker = new_marker()
    ours = [item.id for item in create_items(target, conformance_profile, marker, OUR_ROWS)]
    walk = _walk_across_ours(target, conformance_profile, set(ours))
    mine = [item_id for item_id in walk.ids if walk.names[item_id].startswith(marker)]
    if mine != sorted(ours):
        pytest.fail(f"PAGE-03: the cursor walk returned our items {sorted(ours)} as {mine}")


OUR_ROWS = 12
SMALL_PAGE = 3  # our rows span several pages: the walk must follow next_cursor across them


def _walk_across_ours(target: Target, profile: Profile, ours: set[int]) -> CursorWalk:
    """The whole table, in big pages up to ours, then in small ones across ours to the end.

    Walking only in big pages never follows a cursor on a small table: a cursor that
    repeats (or skips) the previous page's last item would go unseen. From the cursor
    before the first page that holds one of ours, small pages cross our rows.
    """
    big = profile.pagination.cursor_max_limit
    walk = CursorWalk()
    cursor: str | None = None
    page = cursor_page(target, profile, cursor, big)
    while page.has_more and not ours & {entry["id"] for entry in page.items}:
        walk.take(page)
        cursor = page.next_cursor
        page = cursor_page(target, profile, cursor, big)
    return walk_cursor(target, profile, SMALL_PAGE, cursor=cursor, walk=walk)


@check(
    "PAGE-03", "a cursor limit outside 1..maximum is 422", ref="Ex 50", needs=("cursor_pagination",)
)
@pytest.mark.parametrize("offset", [0, 1], ids=["zero", "above-maximum"])
def test_cursor_limit_out_of_range(
    offset: int, target: Target, conformance_profile: Profile
) -> None:
    pagination = conformance_profile.pagination
    limit = 0 if offset == 0 else pagination.cursor_max_limit + 1
    params = {pagination.cursor_limit_param: limit}
    response = get_fresh(
        target, conformance_profile, conformance_profile.paths.items_cursor, params
    )
    status = conformance_profile.errors.validation_status
    if response.status_code != status:
        mismatch(f"cursor limit={limit} was not rejected", f"status {status}", response)
    assert_envelope(response, conformance_profile.envelope)


def _encoded(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


INVALID_CURSORS = {
    "not-base64": "%%%not a cursor%%%",
    "not-json": _encoded(b"definitely not json"),
    "no-id": _encoded(b'{"position": 3}'),
    "id-not-a-number": _encoded(b'{"id": "three"}'),
}


@check(
    "PAGE-04",
    "an undecodable cursor restarts (or is a 400), per the profile",
    ref="Ex 50",
    needs=("cursor_pagination",),
)
@pytest.mark.parametrize("cursor", INVALID_CURSORS.values(), ids=INVALID_CURSORS.keys())
def test_invalid_cursor(cursor: str, target: Target, conformance_profile: Profile) -> None:
    path = conformance_profile.paths.items_cursor
    pagination = conformance_profile.pagination
    params = {pagination.cursor_param: cursor, pagination.cursor_limit_param: 5}
    if pagination.invalid_cursor == "400":
        response = get_fresh(target, conformance_profile, path, params)
        if response.status_code != 400:
            mismatch("an undecodable cursor was not refused", "status 400", response)
        assert_envelope(response, conformance_profile.envelope)
        return
    for _ in range(WALK_ATTEMPTS):  # the table's head may change under us; compare again
        first = cursor_page(target, conformance_profile, None, 5)
        response = get_fresh(target, conformance_profile, path, params)
        if response.status_code != 200:
            mismatch(
                "an undecodable cursor did not restart the walk",
                "status 200",
                response,
                hint="or set [pagination] invalid_cursor = '400' in the profile",
            )
        if [entry["id"] for entry in items_of(response, "restarted", pagination.items_field)] == [
            entry["id"] for entry in first.items
        ]:
            return
    mismatch("an undecodable cursor did not give the first page", repr(first.items), response)


def _walk_while_the_table_changes(
    target: Target, profile: Profile, marker: str, ours: list[int]
) -> tuple[CursorWalk, list[int]]:
    """Walk; after three of our items, delete them (behind the cursor) and add two (ahead)."""
    limit = profile.pagination.cursor_max_limit
    walk = CursorWalk()
    cursor: str | None = None
    deleted: list[int] = []
    page = cursor_page(target, profile, cursor, limit)
    while page.has_more and not set(ours) & {entry["id"] for entry in page.items}:
        walk.take(page)
        cursor = page.next_cursor
        page = cursor_page(target, profile, cursor, limit)
    while True:  # from just before our first item: small pages
        page = cursor_page(target, profile, cursor, 2)
        walk.take(page)
        seen = [item_id for item_id in walk.ids if item_id in ours]
        if not deleted and len(seen) >= 3:
            with signed_in(target, profile) as client:
                for item_id in seen:
                    response = delete_item(client, profile, item_id)
                    if response.status_code not in (200, 204):
                        mismatch("deleting an item during the walk", "status 204", response)
                    deleted.append(item_id)
                for n in (1, 2):
                    create_item(client, profile, f"{marker}-new-{n}")
        if not page.has_more:
            return walk, deleted
        cursor = page.next_cursor


@check(
    "PAGE-05",
    "a cursor walk skips and repeats nothing while rows come and go",
    ref="Ex 50",
    needs=("cursor_pagination",),
)
def test_cursor_stable_under_changes(target: Target, conformance_profile: Profile) -> None:
    marker = new_marker()
    ours = [item.id for item in create_items(target, conformance_profile, marker, 8)]
    walk, deleted = _walk_while_the_table_changes(target, conformance_profile, marker, ours)
    if not deleted:
        pytest.fail(f"PAGE-05: the walk never showed three of our items {ours}: {walk.ids}")
    mine = [item_id for item_id in walk.ids if item_id in ours]
    if mine != sorted(ours):
        missing = sorted(set(ours) - set(mine))
        pytest.fail(
            f"PAGE-05: after deleting {deleted} behind the cursor, our items {ours} "
            f"came back as {mine}; skipped: {missing}"
        )
