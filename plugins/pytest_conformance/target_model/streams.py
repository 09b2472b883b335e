"""Operations that stream: server-sent events and JSON Lines, with their item schemas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pytest_conformance.target_model.openapi_document import OpenAPIDocument, pointer_token
from pytest_conformance.target_model.operations import DeclaredOperation, resolved

SSE_MEDIA = "text/event-stream"
JSON_LINES_MEDIA = ("application/jsonl", "application/x-ndjson", "application/jsonlines")


@dataclass(frozen=True)
class StreamOperation:
    operation: DeclaredOperation
    kind: Literal["sse", "json-lines"]
    media_type: str
    status: int
    # JSON pointer of the declared item schema (``itemSchema``, or ``x-itemSchema`` in a
    # 3.1 document); None when the document declares none or an empty one
    item_schema_pointer: str | None


def declared_streams(
    document: OpenAPIDocument, operations: tuple[DeclaredOperation, ...]
) -> tuple[StreamOperation, ...]:
    found: list[StreamOperation] = []
    for operation in operations:
        status = operation.success_status
        if status is None:
            continue
        pointer = (
            f"/paths/{pointer_token(operation.template)}/{operation.method.lower()}"
            f"/responses/{status}"
        )
        response = resolved(document, document.resolve({"$ref": "#" + pointer}))
        content = response.get("content")
        if not isinstance(content, dict):
            continue
        for media in content:
            kind: Literal["sse", "json-lines"] | None = (
                "sse" if media == SSE_MEDIA else "json-lines" if media in JSON_LINES_MEDIA else None
            )
            if kind is None:
                continue
            entry = content[media] if isinstance(content[media], dict) else {}
            key = next((k for k in ("itemSchema", "x-itemSchema") if entry.get(k)), None)
            found.append(
                StreamOperation(
                    operation=operation,
                    kind=kind,
                    media_type=media,
                    status=status,
                    item_schema_pointer=(
                        f"{pointer}/content/{pointer_token(media)}/{key}" if key else None
                    ),
                )
            )
    return tuple(found)
