"""Operations by path, statuses by range, schemas through $refs: the document the watch reads."""

from __future__ import annotations

import gzip
import json
from typing import Any

import httpx
import pytest
from pytest_conformance.observation.observer import Observation
from pytest_conformance.observation.response_validation import check_response
from pytest_conformance.target_model.openapi_document import DocumentError, OpenAPIDocument

THING = {"$ref": "#/components/schemas/Thing"}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "servers": [
        {"url": "https://api.example.com/{stage}", "variables": {"stage": {"default": "api"}}}
    ],
    "paths": {
        "/things/{thing_id}": {
            "get": {
                "responses": {
                    "200": {"content": {"application/json": {"schema": THING}}},
                    "4XX": {"$ref": "#/components/responses/Problem"},
                }
            }
        },
        "/things/special": {
            "get": {
                "responses": {
                    "default": {"content": {"application/json": {"schema": {"type": "array"}}}}
                }
            }
        },
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "responses": {
            "Problem": {
                "description": "a problem",
                "content": {"application/problem+json": {"schema": {"required": ["title"]}}},
            }
        },
    },
}


def _seen(method: str, path: str, status: int, body: Any, **headers: str) -> Observation:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    seen = Observation(
        method,
        httpx.URL(f"http://testserver{path}"),
        status,
        httpx.Headers({"content-type": "application/json", **headers}),
    )
    seen.body += raw
    seen.complete = True
    return seen


@pytest.fixture(scope="module")
def document() -> OpenAPIDocument:
    return OpenAPIDocument(DOCUMENT)


def test_paths_match_under_the_server_path_and_literal_paths_win(
    document: OpenAPIDocument,
) -> None:
    found = document.find("GET", "/api/things/special")
    assert found is not None and found.name == "GET /things/special"
    found = document.find("GET", "/api/things/7")
    assert found is not None and found.name == "GET /things/{thing_id}"
    assert document.find("GET", "/things/7") is None  # outside the server's path
    assert document.find("DELETE", "/api/things/7") is None  # an undocumented method
    assert document.find("GET", "/api/things/7/more") is None


def test_statuses_match_exactly_by_range_or_default(document: OpenAPIDocument) -> None:
    thing = document.find("GET", "/api/things/7")
    special = document.find("GET", "/api/things/special")
    assert thing is not None and special is not None
    assert [thing.response_key(s) for s in (200, 404, 429, 500)] == ["200", "4XX", "4XX", None]
    assert special.response_key(503) == "default"


def test_bodies_are_validated_through_refs(document: OpenAPIDocument) -> None:
    assert check_response(document, _seen("GET", "/api/things/7", 200, {"id": 7})) is None
    wrong = check_response(document, _seen("GET", "/api/things/7", 200, {"id": 7, "tags": [1]}))
    assert wrong is not None and "at $.tags[0]: 1 is not of type 'string'" in wrong.message
    problem = _seen(
        "GET", "/api/things/7", 404, {"detail": "x"}, **{"content-type": "application/problem+json"}
    )
    found = check_response(document, problem)
    assert found is not None and "'title' is a required property" in found.message
    as_json = check_response(document, _seen("GET", "/api/things/7", 404, {"title": "x"}))
    assert as_json is not None and "content type declared for 4XX" in as_json.message


def test_undeclared_status_names_the_operation(document: OpenAPIDocument) -> None:
    found = check_response(document, _seen("GET", "/api/things/7", 500, {"boom": 1}))
    assert found is not None and found.id == "OAS-06"
    assert "OAS-06 GET /things/{thing_id}" in found.message
    assert "(200, 4XX)" in found.message and "status 500" in found.message


def test_encoded_bodies_are_decoded_and_partial_ones_not_judged(document: OpenAPIDocument) -> None:
    zipped = _seen(
        "GET", "/api/things/7", 200, gzip.compress(b'{"id": "x"}'), **{"content-encoding": "gzip"}
    )
    found = check_response(document, zipped)
    assert found is not None and "'x' is not of type 'integer'" in found.message
    partial = _seen("GET", "/api/things/7", 200, b'{"id": "x"')
    partial.complete = False
    assert check_response(document, partial) is None


def test_openapi_30_nullable_is_a_type() -> None:
    schema = {"type": "object", "properties": {"id": {"type": "integer", "nullable": True}}}
    content = {"application/json": {"schema": schema}}
    legacy = OpenAPIDocument(
        {"openapi": "3.0.3", "paths": {"/x": {"get": {"responses": {"200": {"content": content}}}}}}
    )
    assert check_response(legacy, _seen("GET", "/x", 200, {"id": None})) is None
    assert check_response(legacy, _seen("GET", "/x", 200, {"id": "1"})) is not None


def test_a_document_without_paths_is_refused() -> None:
    with pytest.raises(DocumentError, match="paths"):
        OpenAPIDocument({"openapi": "3.1.0"})
