"""Requests that reach a documented GET: path parameters named by a listing, required query
parameters from their schema, credentials where the operation declares security.

OAS-06 calls every GET the document declares that it can reach this way, so an answer that
contradicts its declared schema is found by OAS-06 itself, not only on other checks' traffic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import httpx
from pytest_conformance import Profile
from pytest_conformance.target_model.openapi_document import OpenAPIDocument, Operation
from pytest_conformance.target_model.streams import JSON_LINES_MEDIA, SSE_MEDIA

from conformance.session import bearer, login

STREAMING = (SSE_MEDIA, *JSON_LINES_MEDIA)
_PARAMETER = re.compile(r"\{([^}/]+)\}")
ID_FIELDS = ("id", "uuid", "key", "name", "username", "email")


@dataclass
class Reach:
    """What a check can call, and why it left the rest out."""

    calls: list[tuple[Operation, str, dict[str, str]]] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def streams(operation: Operation) -> bool:
    ok = operation.responses.get("200")
    content = ok.get("content", {}) if isinstance(ok, dict) else {}
    return any(str(kind).startswith(STREAMING) for kind in content)


def reachable_gets(
    document: OpenAPIDocument, client: httpx.Client, profile: Profile, budget: int
) -> Reach:
    """Up to ``budget`` GETs of the document, each as (operation, path with query, headers)."""
    reach = Reach()
    headers = _credentials(client, profile)
    prefix = document.base_path
    listings: dict[str, list[str]] = {}
    for operation in document.operations():
        if operation.method != "GET" or streams(operation):
            continue
        if len(reach.calls) >= budget:
            reach.left_out.append(f"{operation.name}: over the budget of {budget}")
            continue
        if operation.requires_credentials and headers is None:
            reach.left_out.append(f"{operation.name}: needs credentials the profile lacks")
            continue
        path = _filled(document, operation.template, prefix, client, headers, listings)
        if path is None:
            reach.left_out.append(f"{operation.name}: no listing names a resource for it")
            continue
        query = _required_query(document, operation)
        if query is None:
            reach.left_out.append(f"{operation.name}: a required query parameter has no value")
            continue
        wanted = headers if operation.requires_credentials else {}
        reach.calls.append((operation, path + query, wanted or {}))
    return reach


def _credentials(client: httpx.Client, profile: Profile) -> dict[str, str] | None:
    """The admin's bearer header (else any role's), or None when nobody can log in."""
    if not profile.capabilities.auth:
        return None
    for role in ("admin", *profile.users):
        if role in profile.users:
            try:
                return bearer(login(client, profile, role), profile)
            except (AssertionError, httpx.HTTPError):
                return None
    return None


def _filled(
    document: OpenAPIDocument,
    template: str,
    prefix: str,
    client: httpx.Client,
    headers: dict[str, str] | None,
    listings: dict[str, list[str]],
) -> str | None:
    """``template`` with each parameter named by the listing of the path before it."""
    path = template
    while match := _PARAMETER.search(path):
        parent = path[: match.start()].rstrip("/")
        names = listings.get(parent)
        if names is None:
            names = listings[parent] = _listed(document, parent, prefix, client, headers)
        if not names:
            return None
        path = path[: match.start()] + names[0] + path[match.end() :]
    return prefix + path


def _listed(
    document: OpenAPIDocument,
    parent: str,
    prefix: str,
    client: httpx.Client,
    headers: dict[str, str] | None,
) -> list[str]:
    """The identifiers a GET of ``parent`` (or ``parent/``) lists, first page only."""
    for candidate in (parent, parent + "/"):
        operation = document.find("GET", prefix + candidate, prefix)
        if operation is None or "{" in operation.template or streams(operation):
            continue
        secured = operation.requires_credentials
        if secured and headers is None:
            return []
        try:
            answer = client.get(prefix + candidate, headers=headers if secured else {})
            body = answer.json() if answer.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            return []
        return _identifiers(body)
    return []


def _identifiers(body: Any) -> list[str]:
    rows = body if isinstance(body, list) else None
    if isinstance(body, dict):
        rows = next((value for value in body.values() if isinstance(value, list)), None)
    found: list[str] = []
    for row in rows or []:
        if isinstance(row, dict):
            key = next((k for k in ID_FIELDS if isinstance(row.get(k), str | int)), None)
            if key is not None and not isinstance(row[key], bool):
                found.append(str(row[key]))
    return found


def _required_query(document: OpenAPIDocument, operation: Operation) -> str | None:
    """``?name=value`` for each required query parameter, or None when one has no value."""
    pairs: list[tuple[str, str | int | float | bool | None]] = []
    for node in operation.parameters:
        parameter = document.resolve(node)
        if not isinstance(parameter, dict) or parameter.get("in") != "query":
            continue
        if not parameter.get("required"):
            continue
        value = _value(document.resolve(parameter.get("schema", {})), parameter.get("example"))
        if value is None:
            return None
        pairs.append((str(parameter["name"]), value))
    return "?" + str(httpx.QueryParams(pairs)) if pairs else ""


def _value(schema: Any, example: Any) -> str | None:
    if example is not None:
        return str(example)
    if not isinstance(schema, dict):
        return None
    for key in ("default", "example"):
        if schema.get(key) is not None:
            return str(schema[key]).lower() if isinstance(schema[key], bool) else str(schema[key])
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return str(schema["enum"][0])
    kind = schema.get("type")
    if kind == "integer":
        return str(schema.get("minimum", 1))
    if kind == "boolean":
        return "true"
    return None
