"""What a form body can say: no empty required strings, no nulls.

- For compatibility with HTML forms, FastAPI takes ``username=`` in a form-encoded or
  multipart body as no ``username`` at all (fastapi/fastapi#13537), so a required form
  string answers 422 to ``""`` although the document it writes allows the empty string.
  That is the framework's documented convention, not a promise the team broke.
- A form has no null: a field FastAPI documents as ``anyOf: [..., {"type": "null"}]`` is
  null by being absent, and schemathesis would otherwise send the text ``null``.

So the fuzz area's copy of the document gives each required string of a form body a
``minLength`` of 1 and drops the null alternative of each field (negative cases still send
``""`` and expect a refusal). JSON bodies are left alone.
"""

from __future__ import annotations

import copy
from typing import Any

FORM_MEDIA = ("application/x-www-form-urlencoded", "multipart/form-data")
REF_PREFIX = "#/components/schemas/"


def empty_form_values_absent(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` whose form bodies require their required strings non-empty."""
    copied = copy.deepcopy(document)
    for path_item in (copied.get("paths") or {}).values():
        for operation in path_item.values() if isinstance(path_item, dict) else ():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            content = body.get("content") if isinstance(body, dict) else None
            for media, media_object in (content or {}).items():
                if media.split(";")[0].strip().lower() not in FORM_MEDIA:
                    continue
                schema = media_object.get("schema") if isinstance(media_object, dict) else None
                if isinstance(schema, dict):
                    media_object["schema"] = _non_empty_required(copied, schema)
    return copied


def _resolved(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith(REF_PREFIX):
        return schema
    found = (document.get("components") or {}).get("schemas", {}).get(ref[len(REF_PREFIX) :])
    return found if isinstance(found, dict) else schema


def _non_empty_required(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The body's schema, inlined (a component may serve JSON bodies too): no property
    may be null, and each required string property that sets no ``minLength`` gets 1."""
    body = copy.deepcopy(_resolved(document, schema))
    properties = body.get("properties")
    if not isinstance(properties, dict):
        return schema
    required = set(body.get("required") or ())
    for name, declared in list(properties.items()):
        if not isinstance(declared, dict):
            continue
        field = _without_null(_resolved(document, declared))
        if name in required and field.get("type") == "string" and "minLength" not in field:
            field = {**field, "minLength": 1}
        properties[name] = field
    return body


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    alternatives = schema.get("anyOf")
    if not isinstance(alternatives, list):
        return schema
    kept = [branch for branch in alternatives if branch != {"type": "null"}]
    if len(kept) == len(alternatives) or not kept:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**rest, **kept[0]} if len(kept) == 1 else {**rest, "anyOf": kept}
