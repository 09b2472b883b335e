"""Each documented operation with what a check needs to call it: security, body, parameters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pytest_conformance.target_model.openapi_document import (
    OpenAPIDocument,
    Operation,
    pointer_token,
)

JSON_MEDIA = "application/json"
FORM_MEDIA = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path, query, header, cookie
    required: bool
    schema: Mapping[str, Any]


@dataclass(frozen=True)
class DeclaredOperation:
    """One documented operation, its references resolved one level deep."""

    method: str
    template: str  # as the document writes it, without any server prefix
    secured: bool  # a non-empty security requirement (an empty `{}` alternative makes it public)
    schemes: tuple[str, ...]  # the security scheme names it accepts
    parameters: tuple[Parameter, ...] = ()
    body_media: str | None = None
    body_schema: Mapping[str, Any] = field(default_factory=dict)
    body_required: bool = False
    success_status: int | None = None  # the lowest documented 2xx
    success_media: str | None = None
    success_schema: Mapping[str, Any] = field(default_factory=dict)
    responses: tuple[str, ...] = ()  # the documented status keys
    tags: tuple[str, ...] = ()
    operation_id: str = ""

    @property
    def name(self) -> str:
        return f"{self.method} {self.template}"

    def parameter(self, name: str, location: str | None = None) -> Parameter | None:
        for parameter in self.parameters:
            if parameter.name == name and location in (None, parameter.location):
                return parameter
        return None

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def query_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "query")


def declared_operations(document: OpenAPIDocument) -> tuple[DeclaredOperation, ...]:
    return tuple(_declared(document, operation) for operation in document.operations())


def resolved(document: OpenAPIDocument, node: Any) -> dict[str, Any]:
    """``node`` with its ``$ref`` followed; ``{}`` for anything that is not an object."""
    found = document.resolve(node)
    return found if isinstance(found, dict) else {}


def object_properties(document: OpenAPIDocument, schema: Mapping[str, Any]) -> dict[str, Any]:
    """The properties an object schema declares, through ``$ref``, ``allOf`` and nullable
    ``anyOf`` wrappers (FastAPI writes ``Optional[Model]`` as ``anyOf: [Model, null]``)."""
    schema = resolved(document, schema)
    found: dict[str, Any] = {}
    for part in schema.get("allOf", []) if isinstance(schema.get("allOf"), list) else []:
        found.update(object_properties(document, resolved(document, part)))
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(alternatives, list):
        objects = [
            resolved(document, alternative)
            for alternative in alternatives
            if resolved(document, alternative).get("type") != "null"
        ]
        if len(objects) == 1:
            found.update(object_properties(document, objects[0]))
    properties = schema.get("properties")
    if isinstance(properties, dict):
        found.update(properties)
    return found


def _declared(document: OpenAPIDocument, operation: Operation) -> DeclaredOperation:
    raw = resolved(document, _pointed(document, operation.pointer))
    schemes = operation.schemes
    body_media, body_schema, body_required = _body(document, raw)
    status, media, schema = _success(document, operation)
    return DeclaredOperation(
        method=operation.method,
        template=operation.template,
        secured=schemes is not None,
        schemes=schemes or (),
        parameters=tuple(_parameters(document, operation)),
        body_media=body_media,
        body_schema=body_schema,
        body_required=body_required,
        success_status=status,
        success_media=media,
        success_schema=schema,
        responses=tuple(str(key) for key in operation.responses),
        tags=operation.tags,
        operation_id=str(raw.get("operationId", "")),
    )


def _pointed(document: OpenAPIDocument, pointer: str) -> Any:
    return document.resolve({"$ref": "#" + pointer})


def _parameters(document: OpenAPIDocument, operation: Operation) -> list[Parameter]:
    by_key: dict[tuple[str, str], Parameter] = {}
    for node in operation.parameters:  # path-item level first, operation level overrides
        parameter = resolved(document, node)
        name, location = parameter.get("name"), parameter.get("in")
        if not isinstance(name, str) or not isinstance(location, str):
            continue
        by_key[(name, location)] = Parameter(
            name=name,
            location=location,
            required=bool(parameter.get("required")) or location == "path",
            schema=resolved(document, parameter.get("schema", {})),
        )
    return list(by_key.values())


def _body(
    document: OpenAPIDocument, raw: Mapping[str, Any]
) -> tuple[str | None, dict[str, Any], bool]:
    body = resolved(document, raw.get("requestBody"))
    content = body.get("content")
    if not isinstance(content, dict) or not content:
        return None, {}, False
    for media in (JSON_MEDIA, *FORM_MEDIA, *content):
        if media in content:
            entry = content[media] if isinstance(content[media], dict) else {}
            return media, resolved(document, entry.get("schema", {})), bool(body.get("required"))
    return None, {}, False  # pragma: no cover - the loop always ends on a key of content


def _success(
    document: OpenAPIDocument, operation: Operation
) -> tuple[int | None, str | None, dict[str, Any]]:
    statuses = sorted(
        int(key) for key in operation.responses if str(key).isdigit() and str(key).startswith("2")
    )
    if not statuses:
        return None, None, {}
    status = statuses[0]
    response = resolved(document, operation.responses.get(str(status)))
    content = response.get("content")
    if not isinstance(content, dict) or not content:
        return status, None, {}
    media = JSON_MEDIA if JSON_MEDIA in content else next(iter(content))
    entry = content[media] if isinstance(content[media], dict) else {}
    return status, media, resolved(document, entry.get("schema", {}))


def response_pointer(operation: DeclaredOperation, status: int, media: str) -> str:
    """The JSON pointer of a response's media-type object, for validators built later."""
    return (
        f"/paths/{pointer_token(operation.template)}/{operation.method.lower()}"
        f"/responses/{status}/content/{pointer_token(media)}"
    )
