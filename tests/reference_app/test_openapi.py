"""The reference app's document: valid, complete, built once, errors in the real envelope."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from openapi_spec_validator import OpenAPIV31SpecValidator
from refapp_support import make_settings

from conformance.documents import references, resolve_local
from reference_app import Settings, create_app
from reference_app.versions import build_v1, build_v2


@pytest.mark.parametrize("style", ["tutorial", "rfc9457"])
@pytest.mark.parametrize("build", [create_app, build_v1, build_v2])
def test_document_is_valid_and_every_ref_resolves(
    tmp_path: Path, style: str, build: Callable[[Settings], FastAPI]
) -> None:
    document = build(make_settings(tmp_path, error_envelope=style)).openapi()
    assert list(OpenAPIV31SpecValidator(document).iter_errors()) == []
    for _, ref in references(document):
        resolve_local(document, ref)
    assert "HTTPValidationError" not in json.dumps(document)


def test_document_is_built_once(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    assert app.openapi() is app.openapi()


def test_security_schemes_are_added_to_fastapis(tmp_path: Path) -> None:
    schemes = create_app(make_settings(tmp_path)).openapi()["components"]["securitySchemes"]
    assert schemes["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"] == "token"
    assert schemes["ApiKeyHeader"] == {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert schemes["BearerAuth"]["bearerFormat"] == "JWT"


def test_webhook_body_is_the_item_component(tmp_path: Path) -> None:
    document = create_app(make_settings(tmp_path)).openapi()
    body = document["webhooks"]["item-created"]["post"]["requestBody"]["content"]
    schema = resolve_local(document, body["application/json"]["schema"]["$ref"])
    assert {"id", "name", "price", "description"} <= set(schema["properties"])


def test_errors_are_described_in_the_configured_envelope(tmp_path: Path) -> None:
    tutorial = create_app(make_settings(tmp_path)).openapi()
    problem = create_app(make_settings(tmp_path, error_envelope="rfc9457")).openapi()
    item_404 = ("paths", "/items/{item_id}", "get", "responses", "404", "content")
    tutorial_404, problem_404 = tutorial, problem
    for key in item_404:
        tutorial_404, problem_404 = tutorial_404[key], problem_404[key]
    assert tutorial_404 == {
        "application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}
    }
    assert problem_404 == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}
    }
    ready_503 = tutorial["paths"]["/health/ready"]["get"]["responses"]["503"]["content"]
    assert ready_503["application/json"]["schema"]["$ref"].endswith("/Readiness")
