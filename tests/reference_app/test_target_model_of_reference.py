"""The target model reads the reference app's document as SPEC.md describes the app."""

from __future__ import annotations

from pathlib import Path

from pytest_conformance.target_model import build_model
from pytest_conformance.target_model.openapi_document import OpenAPIDocument
from refapp_support import make_settings

from reference_app import create_app


def test_the_reference_app_is_read_as_the_tutorial_describes_it(tmp_path: Path) -> None:
    model = build_model(OpenAPIDocument(create_app(make_settings(tmp_path)).openapi()))
    assert model.login is not None and model.login.path == "/token"
    assert "/items" in {collection.path for collection in model.collections}
    assert {stream.kind for stream in model.streams} == {"sse", "json-lines"}
    assert any(listed.style == "cursor" for listed in model.lists)
    assert any(operation.template == "/users/me" for operation in model.secured)
