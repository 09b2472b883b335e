"""The error envelope (ERR-01..03, ERR-06), in the style the profile names.

``tutorial``: ``{"error_code": str, "message": str, "details": any}`` as ``application/json``.
``rfc9457``: problem details ``{"type", "title", "status", "detail", ...}``; the message is
``detail`` and validation entries live in the ``errors`` extension member.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

import httpx

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
Style = Literal["tutorial", "rfc9457"]


def expected_code(status: int) -> str:
    return ERROR_CODES.get(status, "HTTP_ERROR")


def _media_type(response: httpx.Response) -> str:
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


@dataclass(frozen=True)
class Envelope:
    """An error body read through the profile's style."""

    style: Style
    body: dict[str, Any]

    @property
    def message(self) -> Any:
        return self.body.get("message" if self.style == "tutorial" else "detail")

    @property
    def details(self) -> Any:
        return self.body.get("details" if self.style == "tutorial" else "errors")


def assert_envelope(response: httpx.Response, style: Style) -> Envelope:
    """ERR-01: an error answer carries the envelope as JSON."""
    __tracebackhide__ = True
    what = f"error {response.status_code} without the {style} envelope (ERR-01)"
    media = _media_type(response)
    if style == "tutorial":
        if media != "application/json":
            mismatch(what, "content type application/json", response)
        body = json_body(response, what)
        if not isinstance(body.get("error_code"), str) or not isinstance(body.get("message"), str):
            mismatch(what, '{"error_code": str, "message": str, "details": any|null}', response)
        if "details" not in body:
            mismatch(what, 'a "details" member (null when there are none)', response)
    else:
        if media not in ("application/problem+json", "application/json"):
            mismatch(what, "content type application/problem+json", response)
        body = json_body(response, what)
        if not isinstance(body.get("title"), str) or not isinstance(body.get("status"), int):
            mismatch(what, '{"type": str, "title": str, "status": int, "detail": str}', response)
    return Envelope(style, body)


def assert_error_code(response: httpx.Response, style: Style) -> None:
    """ERR-02: the machine-readable code matches the status (the shape is ERR-01's business)."""
    __tracebackhide__ = True
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
    if _media_type(response) != "application/problem+json":
        mismatch("RFC 9457 §3: problem details need their media type (ERR-06)",
                 "content type application/problem+json", response)  # fmt: skip
    body = json_body(response, "problem details (ERR-06)")
    problem_type = body.get("type", "about:blank")
    if not isinstance(problem_type, str) or not problem_type:
        mismatch("RFC 9457 §3.1.1: 'type' must be a URI reference (ERR-06)", "a string", response)
    if "detail" in body and not isinstance(body["detail"], str):
        mismatch("RFC 9457 §3.1.4: 'detail' must be a string (ERR-06)", "a string", response)
