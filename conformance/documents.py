"""Reading a target's OpenAPI document as data: fetching it and following its ``$ref``s.

Finding operations is the plugin's ``OpenAPIDocument`` (the one OAS-06 validates with).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
from pytest_conformance import Profile, require
from pytest_conformance.target_model.openapi_document import pointer_token

from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import json_body


def fetch_document(client: httpx.Client, profile: Profile) -> tuple[httpx.Response, dict[str, Any]]:
    """The target's document (skips when the profile says it serves none)."""
    require(profile, "openapi")
    response = client.get(profile.paths.openapi)
    if response.status_code != 200:
        mismatch(
            f"GET {profile.paths.openapi} does not serve the OpenAPI document",
            "status 200 with a JSON document",
            response,
            hint="set [paths] openapi, or capabilities.openapi = false",
        )
    document = json_body(response, "the OpenAPI document")
    if not isinstance(document, dict):
        mismatch("the OpenAPI document", "a JSON object", response)
    return response, document


def references(node: object, where: str = "#") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` value in the document, with the JSON pointer of where it sits."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield where, ref
        for key, value in node.items():
            yield from references(value, f"{where}/{pointer_token(str(key))}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from references(value, f"{where}/{index}")


def resolve_local(document: dict[str, Any], ref: str) -> Any:
    """The node a local ``#/...`` reference points at; ``KeyError`` when it dangles."""
    if not ref.startswith("#"):
        raise KeyError(f"{ref} is not a reference within the document")
    node: Any = document
    for token in ref[1:].split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(ref)
    return node


def dereference(document: dict[str, Any], schema: Any, depth: int = 20) -> Any:
    """Follow a chain of ``$ref``s to the schema it ends at."""
    while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and depth:
        schema = resolve_local(document, schema["$ref"])
        depth -= 1
    return schema
