"""The target model reads a target's own operations, login, collections, lists and streams."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_conformance.target_model import TargetModel, build_model
from pytest_conformance.target_model.openapi_document import OpenAPIDocument

UUID = {"type": "string", "format": "uuid"}
NOTE = {"$ref": "#/components/schemas/Note"}
LIMIT = {"anyOf": [{"type": "integer", "maximum": 100, "minimum": 1}, {"type": "null"}]}


def _query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {**schema}}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


# The shapes real apps have: everything under /api/v1, UUID ids, a login at its own path,
# a page object {data, count}, a JSON Lines stream with an item schema, a public health.
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "notes", "version": "1"},
    "paths": {
        "/api/v1/login/access-token": {
            "post": {
                "requestBody": {
                    "content": {"application/x-www-form-urlencoded": {"schema": {}}},
                    "required": True,
                },
                "responses": {"200": _json({"type": "object"})},
            }
        },
        "/api/v1/notes/": {
            "get": {
                "security": [{"OAuth2PasswordBearer": []}],
                "parameters": [
                    _query("skip", {"type": "integer", "default": 0}),
                    _query("limit", {**LIMIT, "default": 20}),
                ],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/NotesPage"}),
                },
            },
            "post": {
                "security": [{"OAuth2PasswordBearer": []}],
                "requestBody": {**_json({"$ref": "#/components/schemas/NoteIn"}), "required": True},
                "responses": {"201": _json(NOTE), "422": _json({})},
            },
        },
        "/api/v1/notes/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": UUID}],
            "get": {"security": [{"OAuth2PasswordBearer": []}], "responses": {"200": _json(NOTE)}},
            "put": {
                "security": [{"OAuth2PasswordBearer": []}],
                "requestBody": _json({"$ref": "#/components/schemas/NoteIn"}),
                "responses": {"200": _json(NOTE)},
            },
            "delete": {"security": [{"OAuth2PasswordBearer": []}], "responses": {"204": {}}},
        },
        "/api/v1/notes/feed": {
            "get": {
                "security": [{}, {"OAuth2PasswordBearer": []}],  # credentials optional
                "responses": {
                    "200": {"content": {"application/jsonl": {"itemSchema": NOTE}}},
                },
            }
        },
        "/api/v1/events": {
            "get": {
                "parameters": [_query("cursor", {"type": "string"}), _query("size", {})],
                "responses": {
                    "200": {"content": {"text/event-stream": {"schema": {"type": "string"}}}},
                },
            }
        },
        "/api/v1/health": {"get": {"responses": {"200": _json({"type": "boolean"})}}},
    },
    "components": {
        "securitySchemes": {
            "OAuth2PasswordBearer": {
                "type": "oauth2",
                "flows": {"password": {"tokenUrl": "/api/v1/login/access-token", "scopes": {}}},
            }
        },
        "schemas": {
            "NoteIn": {"type": "object", "properties": {"text": {"type": "string"}}},
            "Note": {
                "type": "object",
                "properties": {"id": UUID, "text": {"type": "string"}, "owner_id": UUID},
            },
            "NotesPage": {
                "type": "object",
                "properties": {
                    "data": {"type": "array", "items": NOTE},
                    "count": {"type": "integer"},
                },
            },
        },
    },
}


@pytest.fixture(scope="module")
def model() -> TargetModel:
    return build_model(OpenAPIDocument(DOCUMENT))


def test_operations_know_their_security(model: TargetModel) -> None:
    assert len(model.operations) == 9
    secured = {operation.name for operation in model.secured}
    assert secured == {
        "GET /api/v1/notes/",
        "POST /api/v1/notes/",
        "GET /api/v1/notes/{id}",
        "PUT /api/v1/notes/{id}",
        "DELETE /api/v1/notes/{id}",
    }
    feed = model.find("get", "/api/v1/notes/feed")
    assert feed is not None and not feed.secured  # an empty alternative makes it public
    create = model.find("POST", "/api/v1/notes/")
    assert create is not None
    assert create.schemes == ("OAuth2PasswordBearer",)
    assert create.body_media == "application/json" and create.body_required
    assert create.body_schema["properties"] == {"text": {"type": "string"}}
    assert create.success_status == 201
    assert create.success_schema["properties"]["owner_id"] == UUID


def test_path_item_parameters_reach_every_method(model: TargetModel) -> None:
    delete = model.find("DELETE", "/api/v1/notes/{id}")
    assert delete is not None
    assert [(p.name, p.location, p.required) for p in delete.parameters] == [("id", "path", True)]


def test_login_is_the_password_flow(model: TargetModel) -> None:
    assert model.login is not None
    assert (model.login.kind, model.login.path) == ("form", "/api/v1/login/access-token")


def test_collection_pairs_create_with_its_item_path(model: TargetModel) -> None:
    (notes,) = model.collections
    assert (notes.path, notes.item_path, notes.id_parameter) == (
        "/api/v1/notes/",
        "/api/v1/notes/{id}",
        "id",
    )
    assert notes.id_schema == UUID
    assert notes.update is not None and notes.update.method == "PUT"
    assert notes.delete is not None and notes.owner_field == "owner_id" and notes.secured


def test_lists_read_pagination_parameters_and_the_page_object(model: TargetModel) -> None:
    by_name = {listed.operation.name: listed for listed in model.lists}
    notes = by_name["GET /api/v1/notes/"]
    assert (notes.style, notes.position, notes.size) == ("offset", "skip", "limit")
    assert (notes.size_default, notes.size_maximum, notes.size_minimum) == (20, 100, 1)
    assert (notes.items_field, notes.total_field) == ("data", "count")
    events = by_name["GET /api/v1/events"]
    assert (events.style, events.position, events.size) == ("cursor", "cursor", "size")


def test_streams_by_media_type_with_their_item_schema(model: TargetModel) -> None:
    by_name = {stream.operation.name: stream for stream in model.streams}
    feed, events = by_name["GET /api/v1/notes/feed"], by_name["GET /api/v1/events"]
    assert (feed.kind, feed.media_type) == ("json-lines", "application/jsonl")
    assert feed.item_schema_pointer == (
        "/paths/~1api~1v1~1notes~1feed/get/responses/200/content/application~1jsonl/itemSchema"
    )
    assert (events.kind, events.item_schema_pointer) == ("sse", None)
    assert model.summary() == (
        "9 operations (5 secured), form login at /api/v1/login/access-token, "
        "1 collections, 2 paginated lists, 2 streams"
    )


def test_a_document_without_components_gives_an_empty_model() -> None:
    model = build_model(OpenAPIDocument({"openapi": "3.1.0", "paths": {"/": {"get": {}}}}))
    assert model.login is None
    assert (model.collections, model.lists, model.streams) == ((), (), ())
    assert [operation.name for operation in model.operations] == ["GET /"]


def test_a_prefixed_target_is_read_with_its_prefix() -> None:
    from tests.targets.fastapi_v1 import app

    model = build_model(OpenAPIDocument(app.openapi()))
    assert model.login is not None and model.login.path.startswith("/api/v1/")
    assert [c.item_path for c in model.collections] == ["/api/v1/items/{item_id}"]
    assert {stream.kind for stream in model.streams} == {"sse", "json-lines"}


def test_the_document_fills_the_token_and_me_paths_a_profile_leaves_out() -> None:
    """Only what the document says unambiguously: the password flow's tokenUrl, and the one
    secured GET ending in /me."""
    document = {**DOCUMENT, "paths": {**DOCUMENT["paths"]}}
    secured_get = {"get": {"security": [{"OAuth2PasswordBearer": []}], "responses": {}}}
    document["paths"]["/api/v1/users/me"] = secured_get
    model = build_model(OpenAPIDocument(document))
    assert model.found_paths() == {
        "token": "/api/v1/login/access-token",
        "users_me": "/api/v1/users/me",
    }
    document["paths"]["/api/v1/teams/me/"] = secured_get  # two of them: none is "the" me
    assert build_model(OpenAPIDocument(document)).found_paths() == {
        "token": "/api/v1/login/access-token"
    }


def test_found_paths_fill_only_what_the_profile_leaves_unmapped() -> None:
    from pytest_conformance.profile.sections import profile_from_mapping, with_found_paths

    profile = profile_from_mapping({"contract": "none", "paths": {"users_me": "/me"}}, "test")
    assert not profile.paths.is_mapped("token") and not profile.capabilities.auth
    filled = with_found_paths(profile, {"token": "/login", "users_me": "/users/me"})
    assert (filled.paths.token, filled.paths.users_me) == ("/login", "/me")
    assert filled.capabilities.auth  # the document's login promises it
    assert not filled.paths.is_mapped("items")
