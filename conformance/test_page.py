"""PAGE — offset and keyset cursor pagination (SPEC.md, tutorial Examples 28, 34, 50)."""

from __future__ import annotations

import base64
import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pytest_conformance import Profile, Target, check, not_applicable
from pytest_conformance.profile.sections import Pagination
from pytest_conformance.target_model import Collection, ListOperation, TargetModel

from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import assert_envelope, assert_message, json_body
from conformance.authorized import signed_in
from conformance.declared_resources import CannotCreate, Created, create, delete, id_fields
from conformance.examples import merged
from conformance.items import Ledger, delete_item, items_of, new_marker
from conformance.list_walk import Walker, item_key, sizes
from conformance.operation_calls import (
    Call,
    Unbuildable,
    credentials,
    credentials_for,
    default_role,
    representative_call,
)
from conformance.request_budget import BudgetSpent, RequestBudget
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
    with Ledger(target, conformance_profile) as ledger:
        ours = sorted(item.id for item in ledger.create_many(new_marker(), 7))
        _offset_walk_exactly_once(target, conformance_profile, ours)


def _offset_walk_exactly_once(target: Target, profile: Profile, ours: list[int]) -> None:
    problem = ""
    for _ in range(WALK_ATTEMPTS):
        # the boundaries a client crosses first, wherever our rows happen to lie
        start = [
            entry["id"]
            for skip in range(0, START_PAGES * 3, 3)
            for entry in offset_page(target, profile, skip, 3)
        ]
        seen = _offset_walk(target, profile, ours, limit=3)
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
    with Ledger(target, conformance_profile) as ledger:
        ours = [item.id for item in ledger.create_many(marker, OUR_ROWS)]
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
    target: Target, profile: Profile, marker: str, ours: list[int], ledger: Ledger
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
                    ledger.create(client, f"{marker}-new-{n}")
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
    with Ledger(target, conformance_profile) as ledger:
        ours = [item.id for item in ledger.create_many(marker, 8)]
        walk, deleted = _walk_while_the_table_changes(
            target, conformance_profile, marker, ours, ledger
        )
    if not deleted:
        pytest.fail(f"PAGE-05: the walk never showed three of our items {ours}: {walk.ids}")
    mine = [item_id for item_id in walk.ids if item_id in ours]
    if mine != sorted(ours):
        missing = sorted(set(ours) - set(mine))
        pytest.fail(
            f"PAGE-05: after deleting {deleted} behind the cursor, our items {ours} "
            f"came back as {mine}; skipped: {missing}"
        )


def _list_call(model: TargetModel, listing: ListOperation) -> Call:
    __tracebackhide__ = True
    try:
        return representative_call(model, listing.operation)
    except Unbuildable as error:
        not_applicable(f"PAGE-07 cannot call the list: {error}")


def out_of_range(listing: ListOperation, model: TargetModel) -> list[tuple[str, dict[str, Any]]]:
    """(label, parameters) a list must refuse: negative, zero below a minimum of 1, not an
    integer, above the documented maximum. A cursor is PAGE-04's, not probed here."""
    probes: list[tuple[str, dict[str, Any]]] = []
    names = [listing.size] if listing.style == "cursor" else [listing.position, listing.size]
    for name in names:
        low = _declared_minimum(model, listing, name)
        if low is None or low >= 0:
            probes.append((f"{name}=-1", {name: -1}))
        if low is not None and low >= 1:
            probes.append((f"{name}=0", {name: 0}))
        probes.append((f"{name}=abc", {name: "abc"}))
        probes.append((f"{name}=1.5", {name: "1.5"}))
    if listing.size_maximum is not None:
        above = listing.size_maximum + 1
        probes.append((f"{listing.size}={above}", {listing.size: above}))
    return probes


def _declared_minimum(model: TargetModel, listing: ListOperation, name: str) -> int | None:
    if name == listing.size:
        return listing.size_minimum
    parameter = listing.operation.parameter(name, "query")
    if parameter is None or model.document is None:
        return None
    low = merged(model.document, parameter.schema).get("minimum")
    if low is None:
        low = next(
            (merged(model.document, part).get("minimum")
             for part in merged(model.document, parameter.schema).get("anyOf", [])
             if merged(model.document, part).get("type") == "integer"),
            None,
        )  # fmt: skip
    return low if isinstance(low, int) and not isinstance(low, bool) else None


@check(
    "PAGE-07",
    "a declared list refuses out-of-range parameters with a 4xx and keeps to its maximum",
    ref="ANY",
)
def test_list_parameters_out_of_range(
    list_operation: ListOperation,
    declared_model: TargetModel,
    target: Target,
    client: httpx.Client,
    conformance_profile: Profile,
) -> None:
    """Negative, zero (under a declared minimum of 1) and non-integer positions and sizes
    answer a 4xx; a size above the documented maximum answers a 4xx or a page of at most
    the maximum (clamped). These answers are PAGE-07's to judge (not checked against the
    document under OAS-06)."""
    model, listing = declared_model, list_operation
    headers = credentials_for(client, conformance_profile, model, listing.operation)
    walker = Walker(
        target, model, listing, _list_call(model, listing), headers,
        RequestBudget(conformance_profile),
    )  # fmt: skip
    baseline = walker.get({})
    if baseline.status_code >= 500:
        mismatch(f"PAGE-07 {listing.operation.name} with its defaults", "status 2xx", baseline)
    if not baseline.is_success:
        not_applicable(
            f"PAGE-07 {listing.operation.name} answers {baseline.status_code} to the profile's "
            "user with its defaults: what an out-of-range parameter gets cannot be told apart"
        )
    wrong: list[tuple[str, httpx.Response]] = []
    maximum = listing.size_maximum
    for label, params in out_of_range(listing, model):
        response = walker.get(params, validate=False)
        if 400 <= response.status_code < 500:
            continue
        if maximum is not None and params.get(listing.size) == maximum + 1 and response.is_success:
            count = len(walker.entries(response))
            if count <= maximum:
                continue  # clamped to the maximum: the maximum holds
            label += f" (a page of {count} items)"
        wrong.append((f"{label} → {response.status_code}", response))
    if wrong:
        mismatch(
            f"PAGE-07 {listing.operation.name}: out-of-range parameters were not refused: "
            + "; ".join(label for label, _ in wrong),
            "a 4xx for each (above the maximum: a 4xx or at most the maximum's items)",
            wrong[0][1],
        )


OUR_LIST_ITEMS = 5


def _collection_of(model: TargetModel, listing: ListOperation) -> Collection | None:
    """The collection whose create operation is on the list's own path."""
    path = listing.operation.template.rstrip("/")
    return next((c for c in model.collections if c.path.rstrip("/") == path), None)


@check(
    "PAGE-07",
    "a declared list walked to the end returns each item once, in a stable order",
    ref="ANY",
)
def test_list_walk(
    list_operation: ListOperation,
    declared_model: TargetModel,
    target: Target,
    client: httpx.Client,
    conformance_profile: Profile,
    record_property: Callable[[str, object], None],
) -> None:
    """Creates a few items where the list's collection allows it (and deletes them again),
    walks the list twice to the end (big pages, then small pages across the items it
    watches) and compares. Rows other checks add or delete meanwhile are not judged:
    only its own items must appear exactly once; a walk that sees a difference is retried."""
    model, listing = declared_model, list_operation
    headers = credentials_for(client, conformance_profile, model, listing.operation)
    budget = RequestBudget(conformance_profile)
    collection = _collection_of(model, listing)
    fields = id_fields(collection) if collection is not None else ("id",)
    walker = Walker(target, model, listing, _list_call(model, listing), headers, budget, fields)
    if walker.walkable is not None:
        not_applicable(f"PAGE-07 cannot walk the list: {walker.walkable}")
    created: list[Created] = []
    cannot = ""
    try:
        if collection is None:
            cannot = f"no create operation on {listing.operation.template}"
        elif collection.delete is None:
            cannot = f"{collection.item_path} declares no DELETE to clean up with"
        else:
            item_headers = _collection_headers(client, conformance_profile, model, collection)
            marker = new_marker()
            try:
                for n in range(OUR_LIST_ITEMS):
                    # rows to page through: the fewest fields set
                    item = create(target, model, collection, item_headers, f"{marker}{n}",
                                  budget, complete=False)  # fmt: skip
                    created.append(item)
            except (CannotCreate, BudgetSpent) as error:
                cannot = str(error)
        if cannot:
            record_property("conformance_not_judged", f"walked what exists: {cannot}")
        ours = [] if cannot else [item_key(item.answer, fields) for item in created]
        problem = _walk_twice(walker, ours, budget)
    finally:
        if collection is not None:
            delete_headers = _collection_headers(client, conformance_profile, model, collection)
            for item in created:
                delete(target, model, collection, item.id, delete_headers)
    if problem:
        pytest.fail(f"PAGE-07 {listing.operation.name}: {problem}", pytrace=False)


def _collection_headers(
    client: httpx.Client, profile: Profile, model: TargetModel, collection: Collection
) -> dict[str, str]:
    if not collection.secured:
        return {}
    return credentials(client, profile, model, default_role(profile))


def _walk_twice(walker: Walker, ours: list[str], budget: RequestBudget) -> str:
    """The problem both walks of every attempt showed, or ``""``; not applicable when
    the budget runs out before one attempt is done."""
    __tracebackhide__ = True
    problem = ""
    operation = walker.listing.operation
    for _ in range(WALK_ATTEMPTS):
        try:
            problem = _one_attempt(walker, ours, budget)
        except BudgetSpent as error:
            if problem:
                return problem
            not_applicable(f"PAGE-07 walking the list to the end: {error}")
        if not problem:
            return ""
        if budget.left(operation) <= 2:
            return problem
    return problem


def _one_attempt(walker: Walker, ours: list[str], budget: RequestBudget) -> str:
    __tracebackhide__ = True
    big, small = sizes(walker.listing)
    first = walker.walk(big, big, lambda entries: False)
    keys = first.keys
    if not keys:
        not_applicable(
            f"PAGE-07 the list {walker.listing.operation.name} is empty and the suite created "
            "nothing in it: the walk is not judged"
        )
    watched = set(ours) if ours else set(keys)
    start = next((index for index, key in enumerate(keys) if key in watched), 0)
    pages_left = budget.left(walker.listing.operation) - (start // big + 2)
    small = min(big, max(small, math.ceil((len(keys) - start) / max(pages_left - 1, 1))))
    if walker.listing.style == "page":
        while big % small:
            small += 1
    second = walker.walk(
        big, small, lambda entries: any(item_key(e, walker.id_fields) in watched for e in entries)
    )
    first_keys, second_keys = keys, second.keys
    for name, found in (
        ("the walk in big pages", first_keys),
        (f"the walk in pages of {small}", second_keys),
    ):
        seen = Counter(found)
        if ours:
            counts = {key: seen[key] for key in ours}
            if any(count != 1 for count in counts.values()):
                return f"{name}: the items it created appear {counts} times (each must appear once)"
        elif len(seen) != len(found):
            repeated = sorted(key for key, count in seen.items() if count > 1)[:5]
            return f"{name}: items repeat: {repeated}"
    in_first, in_second = set(first_keys), set(second_keys)
    order_first = [key for key in dict.fromkeys(first_keys) if key in in_second]
    order_second = [key for key in dict.fromkeys(second_keys) if key in in_first]
    if order_first != order_second:
        return (
            "two walks give the items in different orders: "
            f"{order_first[:10]} then {order_second[:10]} (first ten shown)"
        )
    return ""
