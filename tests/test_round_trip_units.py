"""DATA-09's comparisons and PAGE-07's probes, on a small document of their own."""

from __future__ import annotations

from typing import Any

from pytest_conformance.target_model import build_model
from pytest_conformance.target_model.openapi_document import OpenAPIDocument

from conformance.list_walk import item_key, sizes
from conformance.round_trip import same_value, unchanged_differences, update_body, update_choice
from conformance.test_page import out_of_range


def _document(**skip_schema: Any) -> OpenAPIDocument:
    note = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "email": {"type": "string", "format": "email"},
            "due": {"type": "string", "format": "date-time"},
            "count": {"type": "integer", "minimum": 0, "maximum": 3},
            "updated_at": {"type": "string", "format": "date-time"},
        },
    }
    page = {"type": "object", "properties": {"data": {"type": "array", "items": note},
                                             "count": {"type": "integer"}}}  # fmt: skip
    ok = {"description": "ok", "content": {"application/json": {"schema": note}}}
    body = {"content": {"application/json": {"schema": note}}, "required": True}
    query = [
        {"name": "skip", "in": "query", "schema": {"type": "integer", **skip_schema}},
        {"name": "limit", "in": "query",
         "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100}},
    ]  # fmt: skip
    item = [{"name": "note_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    return OpenAPIDocument({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/notes/": {
                "get": {"parameters": query, "responses": {
                    "200": {"description": "ok",
                            "content": {"application/json": {"schema": page}}}}},
                "post": {"requestBody": body, "responses": {"201": ok}},
            },
            "/notes/{note_id}": {
                "get": {"parameters": item, "responses": {"200": ok}},
                "patch": {"parameters": item, "requestBody": body, "responses": {"200": ok}},
            },
        },
    })  # fmt: skip


def test_formats_the_schema_names_may_be_rewritten() -> None:
    email = {"type": "string", "format": "email"}
    moment = {"anyOf": [{"type": "string", "format": "date-time"}, {"type": "null"}]}
    assert same_value(None, email, "Conf@Example.com", "conf@example.com")
    assert not same_value(None, {"type": "string"}, "Conf", "conf")
    assert same_value(None, moment, "2026-01-02T03:04:05Z", "2026-01-02T03:04:05+00:00")
    assert same_value(None, {"type": "number"}, 1, 1.0)
    assert not same_value(None, {"type": "integer"}, 1, True)


def test_an_update_changes_one_field_and_the_server_may_stamp_its_own() -> None:
    document = _document()
    collection = build_model(document).collections[0]
    current = {"id": 1, "title": "conf-a", "count": 3, "updated_at": "2026-01-01T00:00:00Z"}
    name, value = update_choice(document, collection, current, "b") or ("", None)
    assert (name, value) == ("title", "conf-b")  # strings first, never the id
    assert update_body(document, collection, {"title": "conf-a"}, current, (name, value)) == {
        "title": "conf-b"
    }
    after = {**current, "title": "conf-b", "count": 0, "updated_at": "2026-02-01T00:00:00Z"}
    assert unchanged_differences(current, after, "title") == ["count: 3 became 0"]


def test_out_of_range_probes_follow_the_declared_bounds() -> None:
    listing = build_model(_document()).lists[0]
    labels = [label for label, _ in out_of_range(listing, build_model(_document()))]
    assert labels == ["skip=-1", "skip=abc", "skip=1.5", "limit=-1", "limit=0", "limit=abc",
                      "limit=1.5", "limit=101"]  # fmt: skip
    assert sizes(listing) == (100, 2)
    assert item_key({"id": 3, "title": "x"}) == "id:3"
    assert item_key({"note_id": 3}, ("note_id", "id")) == "id:3"
