"""The error envelope (ERR-01..03, ERR-06), in the style the profile names.

``tutorial``: ``{"error_code": str, "message": str, "details": any}`` as ``application/json``.
``rfc9457``: problem details ``{"type", "title", "status", "detail", ...}``; the message is
``detail`` and validation entries live in the ``errors`` extension member.
``fastapi``: FastAPI's default ``{"detail": str | list}``; the message is a string
``detail``, validation entries a list ``detail``.
``errors-list``: ``{"errors": [...]}``, a non-empty list; the message is the first entry's
``message`` (or ``detail``, ``msg``, ``title``, or the entry itself when it is a string).
``text``: a non-empty ``text/plain`` body, which is the message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
from pytest_conformance.profile import EnvelopeStyle

from conformance.assertions.describe import mismatch

ERROR_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
}
VALIDATION_MESSAGE = "Request validation failed"
Style = EnvelopeStyle
CODED_STYLES: tuple[Style, ...] = ("tutorial", "rfc9457")  # carry a code or status (ERR-02)
SHAPES = {
    "tutorial": '{"error_code": str, "message": str, "details": any|null}',
    "rfc9457": '{"type": str, "title": str, "status": int, "detail": str}',
    "fastapi": '{"detail": str | list}',
    "errors-list": '{"errors": [<at least one entry>]}',
    "text": "a non-empty text/plain body",
}
MEDIA_TYPES = {
    "tutorial": ("application/json",),
    "rfc9457": ("application/problem+json", "application/json"),
    "fastapi": ("application/json",),
    "errors-list": ("application/json", "application/problem+json"),
    "text": ("text/plain",),
}
_ENTRY_MESSAGE_KEYS = ("message", "detail", "msg", "title")


def expected_code(status: int) -> str:
    return ERROR_CODES.get(status, "HTTP_ERROR")


def media_type(response: httpx.Response) -> str:
    return str(response.headers.get("content-type", "")).split(";")[0].strip().lower()


def json_body(response: httpx.Response, what: str) -> dict[str, Any]:
    __tracebackhide__ = True
    try:
        body = json.loads(response.content)
    except ValueError:
        mismatch(f"{what}: the body is not JSON", "a JSON object", response)
    if not isinstance(body, dict):
        mismatch(f"{what}: the body is not a JSON object", "a JSON object", response)
    return body


def _entry_message(entry: Any) -> Any:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        for key in _ENTRY_MESSAGE_KEYS:
            if isinstance(entry.get(key), str):
                return entry[key]
    return None


@dataclass(frozen=True)
class Envelope:
    """An error body read through the profile's style (``body`` is the text for ``text``)."""

    style: Style
    body: Any

    @property
    def message(self) -> Any:
        body = self.body
        if self.style == "text":
            return str(body).strip()
        if self.style == "tutorial":
            return body.get("message")
        if self.style == "rfc9457":
            return body.get("detail")
        if self.style == "fastapi":
            return body.get("detail") if isinstance(body.get("detail"), str) else None
        errors = body.get("errors")
        return _entry_message(errors[0]) if isinstance(errors, list) and errors else None

    @property
    def has_message(self) -> bool:
        """Whether the style has a slot for a message here (FastAPI's list detail has none)."""
        return not (self.style == "fastapi" and not isinstance(self.body.get("detail"), str))

    @property
    def details(self) -> Any:
        key = {"tutorial": "details", "fastapi": "detail"}.get(self.style, "errors")
        if self.style == "text":
            return None
        value = self.body.get(key)
        return value if self.style != "fastapi" or isinstance(value, list) else None


def assert_envelope(response: httpx.Response, style: Style) -> Envelope:
    """ERR-01: an error answer carries the envelope of the profile's style."""
    __tracebackhide__ = True
    what = f"error {response.status_code} without the {style} envelope (ERR-01)"
    if media_type(response) not in MEDIA_TYPES[style]:
        mismatch(what, f"content type {MEDIA_TYPES[style][0]}", response)
    if style == "text":
        if not response.text.strip():
            mismatch(what, SHAPES[style], response)
        return Envelope(style, response.text)
    body = json_body(response, what)
    if style == "tutorial":
        if not isinstance(body.get("error_code"), str) or not isinstance(body.get("message"), str):
            mismatch(what, SHAPES[style], response)
        if "details" not in body:
            mismatch(what, 'a "details" member (null when there are none)', response)
    elif style == "rfc9457":
        if not isinstance(body.get("title"), str) or not isinstance(body.get("status"), int):
            mismatch(what, SHAPES[style], response)
    elif style == "fastapi":
        if not isinstance(body.get("detail"), str | list):
            mismatch(what, SHAPES[style], response)
    else:
        errors = body.get("errors")
        if not isinstance(errors, list) or not errors:
            mismatch(what, SHAPES[style], response)
    return Envelope(style, body)


def assert_message(envelope: Envelope, expected: str, response: httpx.Response, what: str) -> None:
    """The envelope's message is ``expected`` ('' = the profile does not check messages)."""
    __tracebackhide__ = True
    if expected and envelope.has_message and envelope.message != expected:
        mismatch(what, repr(expected), response)


def assert_error_code(response: httpx.Response, style: Style) -> None:
    """ERR-02: the machine-readable code matches the status (the shape is ERR-01's business).

    Styles without a code (``fastapi``, ``errors-list``, ``text``) have nothing to check.
    """
    __tracebackhide__ = True
    if style not in CODED_STYLES:
        return
    body = json_body(response, f"error {response.status_code} (ERR-02)")
    if style == "tutorial":
        want = expected_code(response.status_code)
        if body.get("error_code") != want:
            mismatch(f"wrong error_code for {response.status_code} (ERR-02)", want, response)
    elif body.get("status") != response.status_code:
        mismatch(
            "problem details 'status' differs from the HTTP status (ERR-02)",
            str(response.status_code),
            response,
        )


def assert_problem_details(response: httpx.Response) -> None:
    """ERR-06: RFC 9457 §3 specifics beyond the common envelope."""
    __tracebackhide__ = True
    if media_type(response) != "application/problem+json":
        mismatch("RFC 9457 §3: problem details need their media type (ERR-06)",
                 "content type application/problem+json", response)  # fmt: skip
    body = json_body(response, "problem details (ERR-06)")
    problem_type = body.get("type", "about:blank")
    if not isinstance(problem_type, str) or not problem_type:
        mismatch("RFC 9457 §3.1.1: 'type' must be a URI reference (ERR-06)", "a string", response)
    if "detail" in body and not isinstance(body["detail"], str):
        mismatch("RFC 9457 §3.1.4: 'detail' must be a string (ERR-06)", "a string", response)
