"""DATA — async CRUD and relations (SPEC.md, tutorial Examples 33, 34, 35, 52)."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pytest_conformance import Profile, Target, check, not_applicable, require
from pytest_conformance.target_model import Collection, TargetModel
from pytest_conformance.target_model.operations import object_properties

from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import assert_envelope, assert_message, json_body
from conformance.authorized import signed_in
from conformance.declared_resources import CannotCreate, Created, create, delete, read
from conformance.items import CreatedItem, Ledger, create_item, delete_item, new_marker
from conformance.operation_calls import Unbuildable, credentials, default_role, representative_call
from conformance.request_budget import RequestBudget
from conformance.round_trip import (
    read_differences,
    same_value,
    unchanged_differences,
    update_body,
    update_choice,
)

CONCURRENT_CREATES = 20
EXTERNAL_DATA = {"url": "https://api.external-service.com/users", "data": "response"}


def _unknown_id() -> int:
    """An id no target will have handed out (kept below 2**31 for 32-bit columns)."""
    return random.randint(2_000_000_000, 2_100_000_000)


def _read(client: httpx.Client, profile: Profile, item_id: int) -> httpx.Response:
    return client.get(profile.paths.item.format(item_id=item_id))


def _assert_item(response: httpx.Response, expected: dict[str, Any], what: str) -> None:
    __tracebackhide__ = True
    if response.status_code != 200:
        mismatch(what, "status 200", response)
    body = json_body(response, what)
    wrong = {key: body.get(key) for key, value in expected.items() if body.get(key) != value}
    if wrong or set(body) - {"id", "name", "price", "description"} - set(expected):
        mismatch(f"{what}: fields differ {sorted(wrong)}", repr(expected), response)


def _assert_not_found(response: httpx.Response, profile: Profile, message: str | None) -> None:
    __tracebackhide__ = True
    if response.status_code != 404:
        mismatch("an unknown resource was not a 404", "status 404", response)
    envelope = assert_envelope(response, profile.envelope)
    if message is not None:
        assert_message(envelope, message, response, "the 404 does not say what was not found")


@check("DATA-01", "a created item reads back with every field", ref="Ex 33, 52")
@pytest.mark.parametrize("with_description", [True, False], ids=["description", "no-description"])
def test_create_round_trip(
    with_description: bool, target: Target, conformance_profile: Profile
) -> None:
    with signed_in(target, conformance_profile) as client:
        sent: dict[str, Any] = {"name": new_marker(), "price": 12.5}
        if with_description:
            sent["description"] = "made by the conformance suite"
        response = client.post(conformance_profile.paths.items, json=sent)
        if response.status_code not in (200, 201):
            mismatch("creating an item", "status 200 or 201", response)
        body = json_body(response, "the created item")
        if not isinstance(body.get("id"), int):
            mismatch("the created item has no integer id", '{"id": int, ...}', response)
        try:
            expected = {"id": body["id"], "description": None, **sent}
            if {key: body.get(key) for key in expected} != expected:
                mismatch("the create answer differs from what was sent", repr(expected), response)
            read_back = _read(client, conformance_profile, body["id"])
            _assert_item(read_back, expected, "reading it back")
        finally:  # the suite leaves no rows behind
            delete_item(client, conformance_profile, body["id"])


@check("DATA-01", "over-long or empty fields are 422, never a database error", ref="Ex 33, 46")
@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"name": "n" * 101, "price": 1.0}, id="name-101"),
        pytest.param({"name": "", "price": 1.0}, id="name-empty"),
        pytest.param({"name": "ok", "price": 1.0, "description": "d" * 501}, id="description-501"),
    ],
)
def test_bounds_are_validated(
    payload: dict[str, Any], target: Target, conformance_profile: Profile
) -> None:
    with signed_in(target, conformance_profile) as client:
        response = client.post(conformance_profile.paths.items, json=payload)
        status = conformance_profile.errors.validation_status
        if response.status_code != status:
            mismatch(
                "a field outside its bounds was not rejected",
                f"status {status}",
                response,
                hint="declare max_length on the request model; the database must not decide",
            )
        assert_envelope(response, conformance_profile.envelope)


@check("DATA-02", "an unknown item is 404 'Item not found'", ref="Ex 33")
def test_unknown_item(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        response = _read(client, conformance_profile, _unknown_id())
        _assert_not_found(
            response, conformance_profile, conformance_profile.messages.item_not_found
        )
        # A 404 from a route that is not served at all would satisfy the above (and, with
        # messages.item_not_found = "", nothing tells the two apart): the same route must
        # serve an item that exists.
        item = create_item(client, conformance_profile, new_marker(), price=2.5)
        try:
            existing = _read(client, conformance_profile, item.id)
            if existing.status_code != 200:
                mismatch(
                    "DATA-02: the item route does not serve an existing item, so its 404 for an "
                    "unknown one may be the route's, not the item's",
                    f"200 for the item just created (id {item.id})",
                    existing,
                    hint="[paths] item must name the route that reads one item",
                )
        finally:
            delete_item(client, conformance_profile, item.id)


@check("DATA-03", "PATCH updates only the fields sent", ref="Ex 52; RFC 5789")
def test_patch_is_partial(target: Target, conformance_profile: Profile) -> None:
    with (
        signed_in(target, conformance_profile) as client,
        Ledger(target, conformance_profile) as ledger,
    ):
        name = new_marker()
        item = ledger.create(client, name, price=3.5, description="keep me")
        path = conformance_profile.paths.item.format(item_id=item.id)
        expected = {"id": item.id, "name": name, "price": 7.25, "description": "keep me"}
        _assert_item(client.patch(path, json={"price": 7.25}), expected, "PATCH of the price alone")
        _assert_item(_read(client, conformance_profile, item.id), expected, "reading it back")
        expected["name"] = name + "-renamed"
        _assert_item(
            client.patch(path, json={"name": expected["name"]}), expected, "PATCH of the name alone"
        )


@check("DATA-03", "PATCH with description null clears it", ref="Ex 52")
def test_patch_null_description_clears(target: Target, conformance_profile: Profile) -> None:
    with (
        signed_in(target, conformance_profile) as client,
        Ledger(target, conformance_profile) as ledger,
    ):
        name = new_marker()
        item = ledger.create(client, name, price=4.0, description="to clear")
        path = conformance_profile.paths.item.format(item_id=item.id)
        expected = {"id": item.id, "name": name, "price": 4.0, "description": None}
        _assert_item(
            client.patch(path, json={"description": None}), expected, "PATCH description null"
        )
        _assert_item(_read(client, conformance_profile, item.id), expected, "reading it back")


@check("DATA-03", "PATCH with name or price null is 422 and changes nothing", ref="Ex 52")
@pytest.mark.parametrize("field", ["name", "price"])
def test_patch_null_required_field(
    field: str, target: Target, conformance_profile: Profile
) -> None:
    with (
        signed_in(target, conformance_profile) as client,
        Ledger(target, conformance_profile) as ledger,
    ):
        name = new_marker()
        item = ledger.create(client, name, price=5.0, description="stays")
        path = conformance_profile.paths.item.format(item_id=item.id)
        response = client.patch(path, json={field: None})
        status = conformance_profile.errors.validation_status
        if response.status_code != status:
            mismatch(f'PATCH {{"{field}": null}} was not rejected', f"status {status}", response)
        assert_envelope(response, conformance_profile.envelope)
        expected = {"id": item.id, "name": name, "price": 5.0, "description": "stays"}
        _assert_item(
            _read(client, conformance_profile, item.id), expected, "the item after the 422"
        )


@check("DATA-04", "DELETE answers 204 without a body; then the item is gone", ref="Ex 52")
def test_delete(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        item = create_item(client, conformance_profile, new_marker())
        response = delete_item(client, conformance_profile, item.id)
        if response.status_code != 204 or response.content:
            mismatch("DELETE of an existing item", "status 204 with an empty body", response)
        _assert_not_found(_read(client, conformance_profile, item.id), conformance_profile, None)
        _assert_not_found(
            delete_item(client, conformance_profile, item.id), conformance_profile, None
        )


@check("DATA-05", "concurrent creates yield distinct, readable items", ref="Ex 33", uses=("items",))
def test_concurrent_creates(target: Target, conformance_profile: Profile) -> None:
    with Ledger(target, conformance_profile) as ledger:
        _concurrent_creates(target, conformance_profile, ledger)


def _concurrent_creates(target: Target, profile: Profile, ledger: Ledger) -> None:
    marker = new_marker()
    barrier = threading.Barrier(CONCURRENT_CREATES, timeout=profile.timeouts.request)
    results: dict[int, CreatedItem | BaseException] = {}

    def create(n: int) -> None:
        try:
            with signed_in(target, profile) as client:
                barrier.wait()
                results[n] = ledger.create(client, f"{marker}-{n:03d}")
        except BaseException as error:  # reported below, with the others
            results[n] = error

    threads = [threading.Thread(target=create, args=(n,)) for n in range(CONCURRENT_CREATES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(profile.timeouts.request * 3)
    failures = [repr(result) for result in results.values() if not isinstance(result, CreatedItem)]
    if len(results) != CONCURRENT_CREATES or failures:
        pytest.fail(
            f"DATA-05: {CONCURRENT_CREATES} concurrent creates, {len(failures)} failed "
            f"and {CONCURRENT_CREATES - len(results)} never answered:\n" + "\n".join(failures[:3])
        )
    created = [result for result in results.values() if isinstance(result, CreatedItem)]
    ids = [item.id for item in created]
    if len(set(ids)) != len(ids):
        pytest.fail(f"DATA-05: concurrent creates were given the same id: {sorted(ids)}")
    with signed_in(target, profile) as client:
        for item in created:
            response = _read(client, profile, item.id)
            _assert_item(
                response,
                {"id": item.id, "name": item.name},
                "reading back a concurrently created item",
            )


def _post(client: httpx.Client, path: str, payload: dict[str, Any], what: str) -> dict[str, Any]:
    __tracebackhide__ = True
    response = client.post(path, json=payload)
    if response.status_code not in (200, 201):
        mismatch(what, "status 200 or 201", response)
    body = json_body(response, what)
    if not isinstance(body.get("id"), int):
        mismatch(f"{what}: no integer id", '{"id": int, ...}', response)
    return body


@check("DATA-06", "an author reads back with all its books", ref="Ex 34")
def test_author_with_books(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        require(conformance_profile, "authors")
        paths = conformance_profile.paths
        name = new_marker()
        author = _post(client, paths.authors, {"name": name}, "creating an author")
        books_path = paths.author_books.format(author_id=author["id"])
        books = [
            _post(client, books_path, {"title": f"{name} vol {n}"}, "creating a book")
            for n in (1, 2)
        ]
        response = client.get(paths.author_with_books.format(author_id=author["id"]))
        expected = {
            "id": author["id"],
            "name": name,
            "books": [{"id": book["id"], "title": book["title"]} for book in books],
        }
        if response.status_code != 200:
            mismatch("reading an author with books", "status 200", response)
        body = json_body(response, "the author with books")
        got_books = body.get("books")
        if not isinstance(got_books, list):
            mismatch("the author has no books list", repr(expected), response)
        got = {
            "id": body.get("id"),
            "name": body.get("name"),
            "books": sorted(
                (
                    {"id": b.get("id"), "title": b.get("title")}
                    for b in got_books
                    if isinstance(b, dict)
                ),
                key=lambda b: str(b["id"]),
            ),
        }
        expected["books"] = sorted(expected["books"], key=lambda b: str(b["id"]))
        if got != expected or len(got_books) != len(books):
            mismatch("the author's books differ from those created", repr(expected), response)


@check("DATA-06", "an unknown author is 404 'Author not found'", ref="Ex 34")
def test_unknown_author(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        require(conformance_profile, "authors")
        path = conformance_profile.paths.author_with_books.format(author_id=_unknown_id())
        _assert_not_found(
            client.get(path), conformance_profile, conformance_profile.messages.author_not_found
        )


@check("DATA-07", "external data comes through a per-request session", ref="Ex 35")
def test_external_data(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        require(conformance_profile, "external_data")
        response = client.get(conformance_profile.paths.external_data)
        if response.status_code != 200 or json_body(response, "external data") != EXTERNAL_DATA:
            mismatch("GET external data", f"200 {EXTERNAL_DATA}", response)


@check(
    "DATA-09",
    "a declared collection reads back what it was sent, updates exactly the fields sent, "
    "and forgets what was deleted",
    ref="ANY",
)
def test_collection_round_trip(
    collection: Collection,
    declared_model: TargetModel,
    target: Target,
    client: httpx.Client,
    conformance_profile: Profile,
    record_property: Callable[[str, object], None],
) -> None:
    model = declared_model
    headers = _collection_credentials(client, conformance_profile, model, collection)
    try:
        created = create(
            target, model, collection, headers, new_marker(), RequestBudget(conformance_profile)
        )
    except (CannotCreate, Unbuildable) as error:
        response = getattr(error, "response", None)
        if response is not None and response.status_code >= 500:
            mismatch(f"DATA-09 {error}", "status 2xx", response)
        not_applicable(f"DATA-09 cannot create in {collection.path}: {error}")
    not_judged: list[str] = []
    deleted = False
    try:
        current = _read_back(target, model, collection, created, headers)
        not_judged += _update_exactly(target, model, collection, created, current, headers)
        if collection.delete is None:
            not_judged.append(
                f"{collection.item_path} declares no DELETE: not judged, and the resource "
                f"{created.id!r} stays"
            )
        else:
            deleted = _delete_forgets(target, model, collection, created, headers)
    finally:
        if not deleted:
            delete(target, model, collection, created.id, headers)
    if not_judged:
        record_property("conformance_not_judged", "; ".join(not_judged))


def _collection_credentials(
    client: httpx.Client, profile: Profile, model: TargetModel, collection: Collection
) -> dict[str, str]:
    """One user for every step: the profile's, when any operation of the collection is
    secured (not applicable when the profile names none)."""
    if not collection.secured:
        return {}
    return credentials(client, profile, model, default_role(profile))


def _read_back(
    target: Target, model: TargetModel, collection: Collection, created: Created,
    headers: dict[str, str],
) -> dict[str, Any]:  # fmt: skip
    __tracebackhide__ = True
    response = read(target, model, collection, created.id, headers)
    what = f"DATA-09 {collection.read.name} of the resource just created ({created.id!r})"
    if not response.is_success:
        mismatch(what, "status 2xx with what was sent", response)
    answer = json_body(response, what)
    differences = read_differences(model.document, collection, created.sent, answer)
    if differences:
        mismatch(
            f"{what}: it differs from what was sent in {'; '.join(differences)}",
            f"the fields sent, as sent: {created.sent!r}",
            response,
            hint="only fields the read schema declares are compared; formats it names "
            "(email, date-time, uri, uuid) may be rewritten",
        )
    return answer


def _update_exactly(
    target: Target, model: TargetModel, collection: Collection, created: Created,
    current: dict[str, Any], headers: dict[str, str],
) -> list[str]:  # fmt: skip
    """Update one field; it changes and nothing else does. What it could not judge."""
    __tracebackhide__ = True
    if collection.update is None:
        return [f"{collection.item_path} declares no PATCH or PUT: the update is not judged"]
    change = update_choice(model.document, collection, current, new_marker())
    if change is None:
        return [f"{collection.update.name}: no field it accepts can be given a new valid value"]
    body = update_body(model.document, collection, created.sent, current, change)
    try:
        call = representative_call(
            model, collection.update, path_values={collection.id_parameter: created.id}, body=body
        )
    except Unbuildable as error:
        return [f"the update is not judged: {error}"]
    with target.client() as update_client:
        response = call.send(update_client, headers)
        response.read()
    what = f"DATA-09 {collection.update.name} with {body!r}"
    if response.status_code >= 500:
        mismatch(what, "status 2xx", response)
    if not response.is_success:
        return [f"{what} answered {response.status_code}: the update is not judged"]
    after = read(target, model, collection, created.id, headers)
    if not after.is_success:
        mismatch(f"DATA-09 reading {created.id!r} after {what}", "status 2xx", after)
    answer = json_body(after, "the updated resource")
    name, value = change
    schema = object_properties_of_update(model, collection).get(name, {})
    moved = unchanged_differences(current, answer, name)
    if name not in answer or not same_value(model.document, schema, value, answer[name]):
        moved.insert(0, f"{name}: sent {value!r}, read {answer.get(name, '<absent>')!r}")
    if moved:
        mismatch(
            f"{what} did not change exactly the field sent: {'; '.join(moved)}",
            f"{name} = {value!r}, every other field as before",
            after,
            hint="fields named like updated_at, version or etag may change on any update",
        )
    return []


def object_properties_of_update(model: TargetModel, collection: Collection) -> dict[str, Any]:
    if model.document is None or collection.update is None:
        return {}
    return object_properties(model.document, collection.update.body_schema)


def _delete_forgets(
    target: Target, model: TargetModel, collection: Collection, created: Created,
    headers: dict[str, str],
) -> bool:  # fmt: skip
    """Delete, then the read is 404; True once the resource is gone."""
    __tracebackhide__ = True
    assert collection.delete is not None
    response = delete(target, model, collection, created.id, headers)
    if response is None:
        return False
    if not response.is_success:
        mismatch(
            f"DATA-09 {collection.delete.name} of the resource it created ({created.id!r})",
            "status 2xx",
            response,
        )
    gone = read(target, model, collection, created.id, headers)
    if gone.status_code != 404:
        mismatch(f"DATA-09 {collection.read.name} after the delete", "status 404", gone)
    return True
