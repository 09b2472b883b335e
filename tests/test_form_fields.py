"""The fuzz area's copy of a document: form bodies say only what a form can say."""

from __future__ import annotations

from typing import Any

from conformance.fuzzing.form_fields import empty_form_values_absent

LOGIN_FORM = {  # as FastAPI documents OAuth2PasswordRequestForm
    "type": "object",
    "required": ["username", "password"],
    "properties": {
        "grant_type": {"anyOf": [{"type": "string", "pattern": "^password$"}, {"type": "null"}]},
        "username": {"type": "string"},
        "password": {"type": "string", "format": "password"},
        "scope": {"type": "string", "default": ""},
        "code": {"type": "string", "minLength": 6},
    },
}


def _document(media: str) -> dict[str, Any]:
    body = {"content": {media: {"schema": {"$ref": "#/components/schemas/Body_login"}}}}
    return {
        "openapi": "3.1.0",
        "paths": {"/token": {"post": {"requestBody": body}}},
        "components": {"schemas": {"Body_login": LOGIN_FORM}},
    }


def _body(document: dict[str, Any], media: str) -> dict[str, Any]:
    schema: dict[str, Any] = document["paths"]["/token"]["post"]["requestBody"]["content"][media][
        "schema"
    ]
    return schema


def test_a_form_requires_its_required_strings_non_empty_and_has_no_null() -> None:
    media = "application/x-www-form-urlencoded"
    original = _document(media)
    changed = empty_form_values_absent(original)
    properties = _body(changed, media)["properties"]
    assert properties["username"] == {"type": "string", "minLength": 1}
    assert properties["password"]["minLength"] == 1
    assert properties["grant_type"] == {"type": "string", "pattern": "^password$"}
    assert "minLength" not in properties["scope"], "an optional field may be empty (its default)"
    assert properties["code"]["minLength"] == 6, "a declared minLength is the document's"
    # the component is left alone (it may serve a JSON body too), and so is the original
    assert changed["components"]["schemas"]["Body_login"] == LOGIN_FORM
    assert _body(original, media) == {"$ref": "#/components/schemas/Body_login"}


def test_multipart_too_but_never_json() -> None:
    multipart = _body(
        empty_form_values_absent(_document("multipart/form-data")), "multipart/form-data"
    )
    assert multipart["properties"]["username"]["minLength"] == 1
    json_body = _body(empty_form_values_absent(_document("application/json")), "application/json")
    assert json_body == {"$ref": "#/components/schemas/Body_login"}
