"""The pieces of RBAC-08 and VAL-06 that need no target: who plays the other user, which
fields are smuggled and with what values."""

from __future__ import annotations

from typing import Any

from pytest_conformance.profile.sections import profile_from_mapping
from pytest_conformance.target_model import build_model
from pytest_conformance.target_model.openapi_document import OpenAPIDocument

from conformance.mass_assignment import smuggled_fields
from conformance.same_role_users import can_register, profile_pair


def _users(*roles: str) -> dict[str, Any]:
    return {role: {"username": role, "password": "pw"} for role in roles}


def test_the_other_user_is_a_second_account_of_a_non_admin_role() -> None:
    pair = profile_from_mapping({"users": _users("admin", "admin_2", "user", "user_2")}, "t")
    assert profile_pair(pair) == ("user", "user_2")
    admins = profile_from_mapping({"users": _users("admin", "admin_2", "superuser_2")}, "t")
    assert profile_pair(admins) is None


def test_registering_needs_the_profile_to_map_it_under_contract_none() -> None:
    assert can_register(profile_from_mapping({}, "t"))  # the tutorial's /register
    own = profile_from_mapping({"contract": "none", "users": _users("admin")}, "t")
    assert not can_register(own)


DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things": {
            "post": {
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}
                },
                "responses": {"201": {"description": "made", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Out"}}}}},
            }
        },
        "/things/{thing_id}": {
            "get": {
                "parameters": [{"name": "thing_id", "in": "path", "required": True,
                                "schema": {"type": "string", "format": "uuid"}}],
                "responses": {"200": {"description": "it", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Out"}}}}},
            }
        },
    },
    "components": {
        "schemas": {
            "In": {"type": "object", "properties": {"title": {"type": "string"},
                                                    "is_admin": {"type": "boolean"}}},
            "Out": {"type": "object", "properties": {
                "title": {"type": "string"},
                "is_admin": {"type": "boolean"},
                "id": {"type": "string", "format": "uuid"},
                "owner_id": {"type": "string", "format": "uuid"},
                "hidden": {"type": "boolean"},
                "created_at": {"type": "string", "format": "date-time"},
            }},
        }
    },
}  # fmt: skip


def test_smuggled_fields_are_the_write_schemas_gaps_with_values_the_target_would_not_give() -> None:
    model = build_model(OpenAPIDocument(DOCUMENT))
    (collection,) = model.collections
    baseline = {
        "id": "6f1c3f6e-58c4-4bb4-9a43-1c1f0c7e0a11",
        "owner_id": "0b8e7c1a-9b7e-4a63-8df0-0c9f8b7a6e55",
        "hidden": False,
        "created_at": "2026-01-01T00:00:00Z",
        "title": "x",
    }
    fields = smuggled_fields(model, collection, collection.create, baseline)
    assert "title" not in fields and "is_admin" not in fields  # the write schema takes them
    assert fields["hidden"] is True
    assert fields["id"] != baseline["id"] and fields["owner_id"] != baseline["owner_id"]
    assert fields["created_at"] == "2001-02-03T04:05:06Z"
    assert fields["is_superuser"] is True and fields["roles"] == ["admin"]


def test_a_null_or_absent_field_gets_a_value_of_its_kind() -> None:
    model = build_model(OpenAPIDocument(DOCUMENT))
    (collection,) = model.collections
    fields = smuggled_fields(model, collection, collection.create, {})
    assert fields["hidden"] is True and fields["created_at"] == "2001-02-03T04:05:06Z"
    assert len(fields["id"]) == 36  # a UUID, as the schema says
