"""The error envelope (ERR-01..03, ERR-06), read through the profile's style.

The styles themselves (media types, shape, message, details, ERR-02's code) are objects
in ``pytest_conformance.envelopes``; this module turns what they find into failures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
from pytest_conformance.envelopes import STYLES, EnvelopeStyle, expected_code, style_named

from conformance.assertions.describe import mismatch

__all__ = [
    "STYLES",
    "Envelope",
    "assert_envelope",
    "assert_error_code",
    "assert_message",
    "assert_problem_details",
    "expected_code",
    "json_body",
    "media_type",
]


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


def _style(style: EnvelopeStyle | str) -> EnvelopeStyle:
    return style if isinstance(style, EnvelopeStyle) else style_named(style)


@dataclass(frozen=True)
class Envelope:
    """An error body read through a style (``body`` is the text for a text style)."""

    style: EnvelopeStyle
    body: Any

    @property
    def message(self) -> Any:
        return self.style.message(self.body)

    @property
    def has_message(self) -> bool:
        """Whether the style has a slot for a message here (FastAPI's list detail has none)."""
        return self.style.has_message(self.body)

    @property
    def details(self) -> Any:
        return self.style.details(self.body)


def assert_envelope(response: httpx.Response, style: EnvelopeStyle | str) -> Envelope:
    """ERR-01: an error answer carries the envelope of the profile's style."""
    __tracebackhide__ = True
    chosen = _style(style)
    what = f"error {response.status_code} without the {chosen.name} envelope (ERR-01)"
    if media_type(response) not in chosen.media_types:
        mismatch(what, f"content type {chosen.media_types[0]}", response)
    body: Any = json_body(response, what) if chosen.json else response.text
    problem = chosen.shape_problem(body)
    if problem is not None:
        mismatch(what, problem, response)
    return Envelope(chosen, body)


def assert_message(envelope: Envelope, expected: str, response: httpx.Response, what: str) -> None:
    """The envelope's message is ``expected`` ('' = the profile does not check messages)."""
    __tracebackhide__ = True
    if expected and envelope.has_message and envelope.message != expected:
        mismatch(what, repr(expected), response)


def assert_error_code(response: httpx.Response, style: EnvelopeStyle | str) -> None:
    """ERR-02: the machine-readable code matches the status (the shape is ERR-01's business).

    Styles without a code (``fastapi``, ``errors-list``, ``text``, …) have nothing to check.
    """
    __tracebackhide__ = True
    chosen = _style(style)
    if not chosen.coded:
        return
    body = json_body(response, f"error {response.status_code} (ERR-02)")
    problem = chosen.code_problem(body, response.status_code)
    if problem is not None:
        mismatch(problem[0], problem[1], response)


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
