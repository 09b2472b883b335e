"""Comparing what a collection was sent with what it answers (DATA-09).

Only fields the read schema declares are compared (a write-only field such as a password
is never shown back). Values are equal as JSON, or as the format their schema names says
they may be rewritten: an e-mail address in another case, a date-time in another
notation of the same instant, a URL with or without a trailing slash, a UUID in capitals.
Fields whose names say the server keeps them (``updated_at``, ``version``, an ETag) may
change on any update.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import Any

from pytest_conformance.target_model import Collection
from pytest_conformance.target_model.openapi_document import OpenAPIDocument
from pytest_conformance.target_model.operations import object_properties

from conformance.declared_resources import id_fields
from conformance.examples import NoExample, example_value, merged

SERVER_MANAGED = re.compile(r"updated|modified|changed|version|revision|etag", re.IGNORECASE)
PARSERS: dict[str, Any] = {
    "date-time": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
}


def value_schema(document: OpenAPIDocument | None, schema: Any) -> dict[str, Any]:
    """``schema`` resolved, through a nullable ``anyOf`` (FastAPI's ``X | None``)."""
    node = merged(document, schema)
    alternatives = node.get("anyOf") or node.get("oneOf")
    if isinstance(alternatives, list):
        usable = [merged(document, part) for part in alternatives]
        usable = [part for part in usable if part.get("type") != "null"]
        if len(usable) == 1:
            return {**usable[0], **{k: v for k, v in node.items() if k not in ("anyOf", "oneOf")}}
    return node


def same_value(document: OpenAPIDocument | None, schema: Any, sent: Any, got: Any) -> bool:
    if sent == got and type(sent) is type(got):
        return True
    node = value_schema(document, schema)
    if isinstance(sent, bool) or isinstance(got, bool):
        return sent is got
    if isinstance(sent, int | float) and isinstance(got, int | float):
        return math.isclose(sent, got, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(sent, str) and isinstance(got, str):
        return _same_text(str(node.get("format", "")), sent, got)
    if isinstance(sent, dict) and isinstance(got, dict):
        properties = object_properties(document, node) if document is not None else {}
        return all(
            name in got and same_value(document, properties.get(name, {}), value, got[name])
            for name, value in sent.items()
            if not properties or name in properties
        )
    if isinstance(sent, list) and isinstance(got, list):
        items = node.get("items", {})
        return len(sent) == len(got) and all(
            same_value(document, items, one, other) for one, other in zip(sent, got, strict=True)
        )
    return bool(sent == got)


def _same_text(form: str, sent: str, got: str) -> bool:
    if form == "email":
        return sent.casefold() == got.casefold()
    if form == "uuid":
        return sent.lower() == got.lower()
    if form in ("uri", "url"):
        return sent.rstrip("/") == got.rstrip("/")
    parse = PARSERS.get(form)
    if parse is not None:
        try:
            return bool(parse(sent.replace("Z", "+00:00")) == parse(got.replace("Z", "+00:00")))
        except (TypeError, ValueError):
            return False
    return sent == got


def read_differences(
    document: OpenAPIDocument | None, collection: Collection, sent: Any, answer: Any
) -> list[str]:
    """Each field sent that the read schema declares and the answer does not show as sent."""
    if not isinstance(sent, dict) or document is None:
        return []
    if not isinstance(answer, dict):
        return ["the read answer is not a JSON object"]
    declared = object_properties(document, collection.read.success_schema)
    found = []
    for name, value in sent.items():
        if name not in declared:
            continue
        if name not in answer:
            found.append(f"{name}: sent {value!r}, the answer has no such field")
        elif not same_value(document, declared[name], value, answer[name]):
            found.append(f"{name}: sent {value!r}, read {answer[name]!r}")
    return found


def compared_fields(document: OpenAPIDocument | None, collection: Collection) -> list[str]:
    declared = object_properties(document, collection.read.success_schema) if document else {}
    return list(declared)


def update_choice(
    document: OpenAPIDocument | None, collection: Collection, current: dict[str, Any], marker: str
) -> tuple[str, Any] | None:
    """A field the update accepts and the read answer shows, with a new valid value
    (strings first: a new marker makes them differ)."""
    if collection.update is None or document is None:
        return None
    accepted = object_properties(document, collection.update.body_schema)
    shown = object_properties(document, collection.read.success_schema)
    names = [
        name for name in accepted
        if name in shown and name not in id_fields(collection) and not SERVER_MANAGED.search(name)
    ]  # fmt: skip
    names.sort(key=lambda name: value_schema(document, accepted[name]).get("type") != "string")
    for name in names:
        try:
            value = example_value(document, accepted[name], marker=marker)
        except NoExample:
            continue
        if value is None:
            continue
        if not same_value(document, accepted[name], value, current.get(name)):
            return name, value
        bumped = _bumped(value_schema(document, accepted[name]), current.get(name))
        if bumped is not None:
            return name, bumped
    return None


def _bumped(schema: dict[str, Any], value: Any) -> Any:
    """A number one step away from ``value`` within its bounds, or ``None``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    high, low = schema.get("maximum"), schema.get("minimum")
    for candidate in (value + 1, value - 1):
        if (high is None or candidate <= high) and (low is None or candidate >= low):
            return int(candidate) if schema.get("type") == "integer" else float(candidate)
    return None


def update_body(
    document: OpenAPIDocument | None,
    collection: Collection,
    sent: Any,
    current: dict[str, Any],
    change: tuple[str, Any],
) -> dict[str, Any]:
    """PATCH: the changed field (and any the schema requires, as they are); PUT: the
    whole resource as it was sent, with the one field changed."""
    assert collection.update is not None
    schema = merged(document, collection.update.body_schema)
    accepted = object_properties(document, schema) if document else {}
    listed = schema.get("required")
    required: list[Any] = listed if isinstance(listed, list) else []
    keep = accepted if collection.update.method == "PUT" else [n for n in accepted if n in required]
    given = sent if isinstance(sent, dict) else {}
    body = {name: given.get(name, current.get(name)) for name in keep
            if name in given or name in current}  # fmt: skip
    body[change[0]] = change[1]
    return body


def unchanged_differences(before: dict[str, Any], after: dict[str, Any], changed: str) -> list[str]:
    """Fields other than ``changed`` (and the server's own) whose values moved."""
    return [
        f"{name}: {before[name]!r} became {after.get(name, '<absent>')!r}"
        for name in before
        if name != changed and not SERVER_MANAGED.search(name) and after.get(name) != before[name]
    ]
