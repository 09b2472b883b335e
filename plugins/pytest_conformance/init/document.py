"""What the readers of ``conformance init`` share: the operations as the target model reads
them, the reading being written, and the state of one reading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pytest_conformance.init.probes import Probes
from pytest_conformance.target_model import DeclaredOperation, TargetModel
from pytest_conformance.target_model.openapi_document import OpenAPIDocument, pointer_token


class InitError(Exception):
    """A target whose document cannot be used; the message is one line."""


@dataclass
class Operation:
    """A documented operation as the target model reads it, with its raw object."""

    declared: DeclaredOperation
    spec: dict[str, Any]

    @property
    def method(self) -> str:
        return self.declared.method

    @property
    def path(self) -> str:
        return self.declared.template

    def parameters(self) -> dict[str, Any]:
        """Query parameters: name -> schema."""
        return {p.name: dict(p.schema) for p in self.declared.query_parameters}


def operations(document: OpenAPIDocument, model: TargetModel) -> list[Operation]:
    found = []
    for declared in model.operations:
        pointer = f"#/paths/{pointer_token(declared.template)}/{declared.method.lower()}"
        raw = resolve(document, {"$ref": pointer})
        found.append(Operation(declared, raw if isinstance(raw, dict) else {}))
    return found


def resolve(document: OpenAPIDocument, node: Any) -> Any:
    """``node`` or what its local ``$ref`` points at; ``{}`` for a reference that leads nowhere."""
    try:
        return document.resolve(node)
    except Exception:
        return {}


def common_prefix(paths: list[str]) -> str:
    """The leading segments every path shares (never a templated one), e.g. '/api/v1'."""
    split = [path.strip("/").split("/") for path in paths if path.strip("/")]
    if len(split) < 2:
        return ""
    shared: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1 or "{" in parts[0]:
            break
        shared.append(parts[0])
    if len(shared) >= min(len(parts) for parts in split):
        shared = shared[:-1]  # keep at least one segment of every path
    return "/" + "/".join(shared) if shared else ""


def _success_schema(operation: Operation) -> tuple[str, Any, str]:
    """(status, schema, media type) of the first 2xx response."""
    declared = operation.declared
    status = str(declared.success_status or "")
    return status, dict(declared.success_schema), declared.success_media or ""


@dataclass
class Reading:
    """What was recognised, as profile keys, and the comments that explain the guesses."""

    data: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # "section.key" -> comment
    comments: list[str] = field(default_factory=list)  # evidence with no key of its own

    def set(self, section: str | None, key: str, value: Any, note: str = "") -> None:
        table = self.data.setdefault(section, {}) if section else self.data
        table[key] = value
        if note:
            self.notes[f"{section}.{key}" if section else key] = note


class ReaderState:
    """The state one reading shares between its parts (``reading``, ``pages``, ``security``)."""

    doc: OpenAPIDocument
    model: TargetModel
    document: dict[str, Any]
    document_url: str
    probes: Probes | None
    operations: list[Operation]
    prefix: str
    tutorial: bool
    reading: Reading
    found: dict[str, str]  # path key -> path without the prefix
    offset_read: bool

    def relative(self, path: str) -> str:
        return path[len(self.prefix) :] if self.prefix and path.startswith(self.prefix) else path

    def find(self, method: str, pattern: re.Pattern[str]) -> Operation | None:
        matches = [
            op
            for op in self.operations
            if op.method == method and pattern.search(self.relative(op.path))
        ]
        return min(matches, key=lambda op: len(op.path)) if matches else None
