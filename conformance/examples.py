"""A value a JSON schema accepts, built from the schema itself: its examples and defaults
first, else the smallest value its type and bounds allow.

Deterministic on purpose: a check that creates a resource compares what it reads back
with what it sent, and a failure must be reproducible. ``marker`` makes strings unique
per call (``conf-<marker>``), so a resource the suite created can be found again.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pytest_conformance.target_model.openapi_document import OpenAPIDocument

MAX_DEPTH = 8
FORMATS: dict[str, str] = {
    "email": "conf-{marker}@example.com",
    "uuid": "{uuid}",
    "date-time": "2026-01-02T03:04:05Z",
    "date": "2026-01-02",
    "time": "03:04:05",
    "uri": "https://example.com/conf-{marker}",
    "url": "https://example.com/conf-{marker}",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "hostname": "conf-{marker}.example.com",
}


class NoExample(ValueError):
    """The schema admits no value this builder can produce (a pattern, an impossible range)."""


def merged(document: OpenAPIDocument | None, schema: Any) -> dict[str, Any]:
    """``schema`` with its ``$ref`` followed and its ``allOf`` parts merged into one."""
    node = document.resolve(schema) if document is not None else schema
    if not isinstance(node, Mapping):
        return {}
    found = {key: value for key, value in node.items() if key != "allOf"}
    for part in node.get("allOf", []) if isinstance(node.get("allOf"), list) else []:
        for key, value in merged(document, part).items():
            if key == "properties" and isinstance(value, dict):
                found["properties"] = {**found.get("properties", {}), **value}
            elif key == "required" and isinstance(value, list):
                found["required"] = [*found.get("required", []), *value]
            else:
                found.setdefault(key, value)
    return found


def example_value(
    document: OpenAPIDocument | None,
    schema: Any,
    *,
    marker: str = "",
    every_property: bool = False,
    depth: int = 0,
) -> Any:
    """A value ``schema`` accepts; ``NoExample`` when it cannot tell one."""
    if depth > MAX_DEPTH:
        raise NoExample("the schema nests deeper than the builder follows")
    node = merged(document, schema)
    for key in ("const", "default"):
        if key in node and node[key] is not None:
            return node[key]
    if isinstance(node.get("enum"), list) and node["enum"]:
        return node["enum"][0]
    examples = node.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    if "example" in node:
        return node["example"]
    alternatives = node.get("anyOf") or node.get("oneOf")
    if isinstance(alternatives, list) and alternatives:
        usable = [part for part in alternatives if merged(document, part).get("type") != "null"]
        return example_value(
            document,
            (usable or alternatives)[0],
            marker=marker,
            every_property=every_property,
            depth=depth + 1,
        )
    kind = node.get("type")
    if isinstance(kind, list):
        kinds = [entry for entry in kind if entry != "null"]
        kind = kinds[0] if kinds else "null"
    if kind is None and "properties" in node:
        kind = "object"
    return _typed(document, node, kind, marker, every_property, depth)


def _typed(
    document: OpenAPIDocument | None,
    node: dict[str, Any],
    kind: Any,
    marker: str,
    every_property: bool,
    depth: int,
) -> Any:
    if kind == "object":
        found, listed = node.get("properties"), node.get("required")
        properties: dict[str, Any] = found if isinstance(found, dict) else {}
        required: list[Any] = listed if isinstance(listed, list) else []
        names = list(properties) if every_property else [n for n in properties if n in required]
        return {
            name: example_value(
                document, properties[name], marker=marker, every_property=every_property,
                depth=depth + 1,
            )
            for name in names
        }  # fmt: skip
    if kind == "array":
        count = max(int(node.get("minItems", 0) or 0), 0)
        item = node.get("items", {})
        return [
            example_value(document, item, marker=f"{marker}{index}", depth=depth + 1)
            for index in range(count)
        ]
    if kind in ("integer", "number"):
        return _number(node, kind)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    if kind == "string" or kind is None:
        return _string(node, marker)
    raise NoExample(f"unknown type {kind!r}")


def _number(node: Mapping[str, Any], kind: str) -> int | float:
    low = node.get("minimum")
    if isinstance(node.get("exclusiveMinimum"), int | float):
        low = node["exclusiveMinimum"] + 1
    high = node.get("maximum")
    if isinstance(node.get("exclusiveMaximum"), int | float):
        high = node["exclusiveMaximum"] - 1
    value: int | float = 1 if low is None else low
    if high is not None and value > high:
        value = high
    if low is not None and value < low:
        raise NoExample(f"no {kind} between {low} and {high}")
    return int(value) if kind == "integer" else float(value)


def _string(node: Mapping[str, Any], marker: str) -> str:
    shape = FORMATS.get(str(node.get("format", "")))
    text = (shape or "conf-{marker}").format(marker=marker or "x", uuid=uuid.uuid4())
    if "pattern" in node and shape is None:
        raise NoExample(f"the string must match the pattern {node['pattern']!r}")
    low = int(node.get("minLength", 0) or 0)
    high = node.get("maxLength")
    if len(text) < low:
        text = text + "x" * (low - len(text))
    if isinstance(high, int) and len(text) > high:
        if shape is not None:
            raise NoExample(f"a {node.get('format')} no longer than {high}")
        text = text[:high]
    return text
