"""The representative request of a documented operation, on the reference app's document."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
from pytest_conformance.target_model import TargetModel, build_model
from pytest_conformance.target_model.openapi_document import OpenAPIDocument
from refapp_support import make_settings

from conformance.examples import NoExample, example_value
from conformance.operation_calls import ABSENT_INTEGER, representative_call
from reference_app import create_app


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> TargetModel:
    path: Path = tmp_path_factory.mktemp("settings")
    return build_model(OpenAPIDocument(create_app(make_settings(path)).openapi()))


def test_a_path_id_names_nothing_that_exists(model: TargetModel) -> None:
    operation = model.find("DELETE", "/items/{item_id}")
    assert operation is not None
    call = representative_call(model, operation)
    assert call.path == f"/items/{ABSENT_INTEGER}"
    assert call.json is None


def test_a_create_body_satisfies_its_schema(model: TargetModel) -> None:
    operation = model.find("POST", "/items")
    call = representative_call(model, operation, marker="m1")
    assert operation is not None and model.document is not None
    components = {"components": model.document.document["components"]}
    jsonschema.validate(call.json, {**operation.body_schema, **components})
    assert isinstance(call.json, dict) and call.json["name"].startswith("conf-m1")


def test_given_path_values_are_used(model: TargetModel) -> None:
    operation = model.find("GET", "/items/{item_id}")
    assert operation is not None
    assert representative_call(model, operation, path_values={"item_id": 7}).path == "/items/7"


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "integer", "minimum": 3}, 3),
        ({"type": "integer", "exclusiveMaximum": 0}, -1),
        ({"type": "string", "minLength": 12}, "conf-m" + "x" * 6),
        ({"type": "string", "format": "email"}, "conf-m@example.com"),
        ({"anyOf": [{"type": "null"}, {"type": "boolean"}]}, True),
        ({"enum": ["b", "a"]}, "b"),
        ({"type": "string", "examples": ["given"]}, "given"),
        (
            {
                "type": "object",
                "required": ["a"],
                "properties": {"a": {"type": "integer"}, "b": {}},
            },
            {"a": 1},
        ),
    ],
)
def test_example_values(schema: dict[str, object], expected: object) -> None:
    assert example_value(None, schema, marker="m") == expected


def test_a_pattern_it_cannot_satisfy_is_said() -> None:
    with pytest.raises(NoExample, match="pattern"):
        example_value(None, {"type": "string", "pattern": "^[A-Z]{3}$"})
