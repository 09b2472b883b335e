"""List operations whose query parameters the suite recognises as pagination."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pytest_conformance.target_model.openapi_document import OpenAPIDocument
from pytest_conformance.target_model.operations import (
    DeclaredOperation,
    object_properties,
    resolved,
)

Style = Literal["offset", "page", "cursor"]
# (position parameter, size parameter, style), in the order they are tried
PAIRS: tuple[tuple[str, str, Style], ...] = (
    ("cursor", "limit", "cursor"),
    ("cursor", "size", "cursor"),
    ("cursor", "page_size", "cursor"),
    ("skip", "limit", "offset"),
    ("offset", "limit", "offset"),
    ("page", "size", "page"),
    ("page", "per_page", "page"),
    ("page", "page_size", "page"),
    ("page", "limit", "page"),
)
TOTAL_FIELDS = ("total", "count", "total_count")


@dataclass(frozen=True)
class ListOperation:
    operation: DeclaredOperation
    style: Style
    position: str  # skip / offset / page / cursor
    size: str  # limit / size / per_page / page_size
    size_default: int | None
    size_maximum: int | None
    size_minimum: int | None
    items_field: str | None  # None: the answer is the array itself
    total_field: str | None


def declared_lists(
    document: OpenAPIDocument, operations: tuple[DeclaredOperation, ...]
) -> tuple[ListOperation, ...]:
    found: list[ListOperation] = []
    for operation in operations:
        if operation.method != "GET":
            continue
        names = {parameter.name for parameter in operation.query_parameters}
        for position, size, style in PAIRS:
            if position in names and size in names:
                found.append(_listed(document, operation, position, size, style))
                break
    return tuple(found)


def _listed(
    document: OpenAPIDocument, operation: DeclaredOperation, position: str, size: str, style: Style
) -> ListOperation:
    parameter = operation.parameter(size, "query")
    schema = _number_schema(document, parameter.schema if parameter else {})
    body = resolved(document, operation.success_schema)
    items_field: str | None = None
    total_field: str | None = None
    if body.get("type") != "array":
        properties = object_properties(document, body)
        arrays = [
            name
            for name, member in properties.items()
            if resolved(document, member).get("type") == "array"
        ]
        items_field = arrays[0] if arrays else ""
        total_field = next((name for name in TOTAL_FIELDS if name in properties), None)
    return ListOperation(
        operation=operation,
        style=style,
        position=position,
        size=size,
        size_default=_integer(schema.get("default")),
        size_maximum=_integer(schema.get("maximum")),
        size_minimum=_integer(schema.get("minimum")),
        items_field=items_field,
        total_field=total_field,
    )


def _number_schema(document: OpenAPIDocument, schema: Mapping[str, Any]) -> dict[str, Any]:
    """The integer branch of ``anyOf: [integer, null]`` (FastAPI's ``int | None``)."""
    schema = resolved(document, schema)
    for alternative in schema.get("anyOf", []) if isinstance(schema.get("anyOf"), list) else []:
        branch = resolved(document, alternative)
        if branch.get("type") == "integer":
            return {**branch, **{k: v for k, v in schema.items() if k == "default"}}
    return schema


def _integer(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
