"""The OpenAPI document (OAS-01..07): FastAPI's generated document, completed and cached.

FastAPI already describes every route; this module adds what the contract asks on top
of it instead of replacing parts of it (the tutorial's override replaced the security
schemes and lost the OAuth2 password flow):

- ``info.x-logo`` (OAS-02);
- the ``ApiKeyHeader`` and ``BearerAuth`` schemes beside FastAPI's OAuth2 scheme (OAS-03);
- error responses described by the envelope the app really sends, in the configured
  style, instead of FastAPI's ``HTTPValidationError`` (OAS-06);
- the document is built on the first request and the same object is served after
  that (OAS-07).

The ``item-created`` webhook (OAS-04) is declared with ``app.webhooks`` in
:func:`declare_webhooks`, so its body schema is a real component.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from reference_app.errors import EnvelopeStyle
from reference_app.schemas import ErrorEnvelope, ItemOut

LOGO_URL = "https://fastapi.tiangolo.com/img/logo-margin/logo-teal.png"

EXTRA_SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "BearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
}

_FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_ENVELOPE_REF = "#/components/schemas/ErrorEnvelope"
_PROBLEM_REF = "#/components/schemas/ProblemDetails"

PROBLEM_DETAILS_SCHEMA: dict[str, Any] = {
    "title": "ProblemDetails",
    "description": "RFC 9457 problem details, as the app sends them in rfc9457 mode.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {}},
    },
}


def declare_webhooks(app: FastAPI) -> None:
    """Declare the ``item-created`` webhook: the app POSTs the new item to subscribers."""

    @app.webhooks.post("item-created")
    def item_created(body: ItemOut) -> None:
        """Sent to subscribers when an item has been created."""


def install_openapi(app: FastAPI, style: EnvelopeStyle, *, root: bool = True) -> None:
    """Serve the completed document, built once on first use.

    ``root=False`` (the versioned sub-apps) describes errors the same way but leaves the
    logo and the extra security schemes to the root document.
    """

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_document(app, style, root=root)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def build_document(app: FastAPI, style: EnvelopeStyle, *, root: bool = True) -> dict[str, Any]:
    document = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
        webhooks=app.webhooks.routes,
        tags=app.openapi_tags,
        servers=app.servers,
    )
    if root:
        document["info"]["x-logo"] = {"url": LOGO_URL}
        components = document.setdefault("components", {})
        schemes = components.setdefault("securitySchemes", {})
        for name, scheme in EXTRA_SECURITY_SCHEMES.items():
            schemes.setdefault(name, scheme)
    declare_unparsable_bodies(document)
    describe_errors_as_envelope(document, style)
    return document


def declare_unparsable_bodies(document: dict[str, Any]) -> None:
    """Operations with a body also answer 400 when it cannot be parsed at all.

    FastAPI raises that 400 itself ("There was an error parsing the body", e.g. for a
    body that is not UTF-8) before any validation, so no route declares it.
    """
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["responses"].setdefault(
                    "400",
                    {
                        "description": "The body could not be parsed",
                        "content": {"application/json": {"schema": {"$ref": _ENVELOPE_REF}}},
                    },
                )


def describe_errors_as_envelope(document: dict[str, Any], style: EnvelopeStyle) -> None:
    """Describe every error response by the envelope the app actually answers with.

    Health 503s keep their own body schema (LIFE-04): only responses documented with
    the envelope or FastAPI's validation error are rewritten.
    """
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    if style == "rfc9457":
        schemas["ProblemDetails"] = PROBLEM_DETAILS_SCHEMA
        media_type, ref = "application/problem+json", _PROBLEM_REF
    else:
        media_type, ref = "application/json", _ENVELOPE_REF
        schemas.setdefault("ErrorEnvelope", ErrorEnvelope.model_json_schema())
    replaced = {_ENVELOPE_REF, *(f"#/components/schemas/{n}" for n in _FASTAPI_VALIDATION_SCHEMAS)}
    path_items = [*document.get("paths", {}).values(), *document.get("webhooks", {}).values()]
    for path_item in path_items:
        for operation in path_item.values():
            for response in operation.get("responses", {}).values():
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                if schema.get("$ref") in replaced:
                    response["content"] = {media_type: {"schema": {"$ref": ref}}}
    for name in _FASTAPI_VALIDATION_SCHEMAS:
        schemas.pop(name, None)
    if style == "rfc9457" and not _mentions(document, _ENVELOPE_REF):
        schemas.pop("ErrorEnvelope", None)


def _mentions(node: object, ref: str) -> bool:
    if isinstance(node, dict):
        return node.get("$ref") == ref or any(_mentions(value, ref) for value in node.values())
    if isinstance(node, list):
        return any(_mentions(value, ref) for value in node)
    return False
