"""Judging observed responses: against the OpenAPI document (OAS-06), for secrets (LIFE-02).

Each judgement returns a ``Violation`` naming the SPEC ID it belongs to and the finding it
is an instance of (operation, status, kind): the run collects them and reports each
finding once under its own ID (``findings.py``), never on the check that received it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx
import referencing.exceptions
from jsonschema.exceptions import best_match

from pytest_conformance.observation.observer import Observation
from pytest_conformance.observation.secret_search import NamedSecret
from pytest_conformance.target_model.openapi_document import OpenAPIDocument, Operation, media_type

EXCERPT = 300
# Bodies that are streams of documents: only their status and content type are judged.
STREAMING_TYPES = frozenset(
    {"text/event-stream", "application/x-ndjson", "application/jsonl", "application/json-seq"}
)
TITLES = {
    "OAS-06": "every documented response matches its OpenAPI schema",
    "LIFE-02": "no configured secret in any response",
}


@dataclass(frozen=True)
class Violation:
    id: str
    message: str
    operation: str = ""  # "METHOD /template" (the document's), else the request's path
    status: int = 0
    kind: str = ""  # what is wrong, in a few words: one finding per (operation, status, kind)

    @property
    def title(self) -> str:
        return TITLES.get(self.id, "")


def excerpt(body: bytes) -> str:
    text = body[:EXCERPT].decode("utf-8", "replace")
    more = f"… ({len(body)} bytes)" if len(body) > EXCERPT else ""
    return (text + more) or "<empty>"


def _where(seen: Observation) -> str:
    return f"{seen.method} {seen.url}"


def _oas(
    operation: Operation, seen: Observation, expected: str, received: str, kind: str
) -> Violation:
    message = (
        f"OAS-06 {operation.name}: the response does not match the OpenAPI document\n"
        f"  request:  {_where(seen)}\n"
        f"  expected: {expected}\n"
        f"  received: {received}"
    )
    if seen.body:
        message += f"\n  body:     {excerpt(bytes(seen.body))}"
    return Violation("OAS-06", message, operation.name, seen.status, kind)


def decoded_body(seen: Observation) -> bytes | None:
    """The whole body with its content coding undone, or None when it was not read whole."""
    if not seen.complete or seen.truncated:
        return None
    raw = bytes(seen.body)
    if seen.headers.get("content-encoding", "identity").lower() in ("", "identity"):
        return raw
    try:
        coding = {"content-encoding": seen.headers["content-encoding"]}
        return httpx.Response(200, headers=coding, content=raw).content
    except httpx.DecodingError:
        return None


def _declared_media(content: dict[str, object], received: str) -> str | None:
    by_type = {media_type(str(key)): str(key) for key in content}
    kind = received.split("/", 1)[0]
    for wanted in (received, f"{kind}/*", "*/*"):
        if wanted in by_type:
            return by_type[wanted]
    return None


def _is_json(kind: str) -> bool:
    return kind == "application/json" or kind.endswith("+json")


def check_response(
    document: OpenAPIDocument, seen: Observation, base_path: str = ""
) -> Violation | None:
    """OAS-06 for one response; None when it conforms or its operation is undocumented."""
    operation = document.find(seen.method, seen.path, base_path) if seen.validate else None
    if operation is None:
        return None
    declared_statuses = ", ".join(sorted(map(str, operation.responses))) or "none"
    key = operation.response_key(seen.status)
    if key is None:
        return _oas(
            operation,
            seen,
            f"a status the operation declares ({declared_statuses})",
            f"status {seen.status}",
            "status not declared",
        )
    try:
        declared = document.resolve(operation.responses[key])
    except referencing.exceptions.Unresolvable:
        return None  # a dangling $ref is the document's fault (OAS-01), not the response's
    content = declared.get("content") if isinstance(declared, dict) else None
    received_type = seen.headers.get("content-type")
    if not isinstance(content, dict) or not content or received_type is None:
        return None  # no body declared, or none sent: nothing to compare
    kind = media_type(received_type)
    declared_key = _declared_media(content, kind)
    if declared_key is None:
        return _oas(
            operation,
            seen,
            f"a content type declared for {key}: {', '.join(sorted(map(str, content)))}",
            f"status {seen.status}, content-type {received_type}",
            "content type not declared",
        )
    if not _is_json(kind) or kind in STREAMING_TYPES:
        return None
    body = decoded_body(seen)
    if not body:
        return None  # not read whole (streamed, closed early, over the bound) or empty
    return _check_schema(document, operation, seen, key, declared_key, body)


def _check_schema(
    document: OpenAPIDocument,
    operation: Operation,
    seen: Observation,
    key: str,
    declared_key: str,
    body: bytes,
) -> Violation | None:
    expected = f"a {declared_key} body valid against the schema declared for {key}"
    try:
        instance = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        received = f"status {seen.status}, a body that is not JSON ({problem})"
        return _oas(operation, seen, expected, received, "body is not JSON")
    try:
        validator = document.validator(operation, key, declared_key)
        error = None if validator is None else best_match(validator.iter_errors(instance))
    except referencing.exceptions.Unresolvable:
        return None  # a dangling $ref is the document's fault (OAS-01), not the response's
    if error is None:
        return None
    at = "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}"
                       for part in error.absolute_path)  # fmt: skip
    rule = "/".join(str(part) for part in error.relative_schema_path)
    return _oas(
        operation,
        seen,
        expected,
        f"status {seen.status}; at {at}: {error.message[:EXCERPT]} (schema rule {rule})",
        "body breaks the schema",
    )


def check_secrets(
    seen: Observation, secrets: tuple[NamedSecret, ...], operation: str = ""
) -> Violation | None:
    """LIFE-02 for one response: no secret in its headers or in the body as far as read.
    ``operation`` names the finding (the document's operation), else the request's path."""
    places: dict[str, list[str]] = {}
    body = decoded_body(seen) if "content-encoding" in seen.headers else None
    headers = "\n".join(f"{name}: {value}" for name, value in seen.headers.multi_items()).encode()
    for index, secret in enumerate(secrets):
        if index in seen.secret_hits or (body is not None and secret.value in body):
            places.setdefault(secret.label, []).append("body")
        if secret.value in headers:
            places.setdefault(secret.label, []).append("headers")
    if not places:
        return None
    found = "; ".join(f"{label} in its {' and '.join(where)}" for label, where in places.items())
    read = "" if seen.complete else " (in the part of the body the check read)"
    return Violation(
        "LIFE-02",
        f"LIFE-02 {seen.method} {seen.path}: the response carries a configured secret: "
        f"{found}{read}\n"
        f"  request:  {_where(seen)}\n"
        f"  status:   {seen.status}\n"
        "  hint:     never put a setting's secret value into an answer "
        "(the secret is not shown here)",
        operation or f"{seen.method} {seen.path}",
        seen.status,
        "secret: " + ", ".join(sorted(places)),
    )
