"""Security-header and request-id assertions (MW-01, MW-02, MW-04)."""

from __future__ import annotations

import re

import httpx

from conformance.assertions.describe import mismatch

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-XSS-Protection": "1; mode=block",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
UUID_PATTERN = re.compile(
    r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$"
)


def assert_security_headers(response: httpx.Response) -> None:
    __tracebackhide__ = True
    wrong = {
        name: response.headers.get(name)
        for name, value in SECURITY_HEADERS.items()
        if (response.headers.get(name) or "").strip().lower() != value.lower()
    }
    if wrong:
        expected = ", ".join(f"{name}: {SECURITY_HEADERS[name]}" for name in wrong)
        mismatch("security headers missing or wrong (MW-01)", expected, response)


def assert_generated_request_id(response: httpx.Response, header: str, *, sent: str | None) -> str:
    """The server generated an ID: present, a UUID, and not what the client sent."""
    __tracebackhide__ = True
    value = response.headers.get(header)
    if value is None:
        mismatch(f"no {header} on the response", "a generated UUID", response)
    if sent is not None and value == sent:
        mismatch(f"{header} echoed a value that must be replaced", "a generated UUID", response)
    if not UUID_PATTERN.match(value):
        mismatch(f"{header} is not a generated UUID", "a UUID", response)
    return str(value)


def assert_request_id_answer(response: httpx.Response, header: str) -> None:
    """MW-02/MW-04 on any answer: a well-formed sent ID is echoed, otherwise one is generated."""
    __tracebackhide__ = True
    sent = response.request.headers.get(header)
    if sent is not None and REQUEST_ID_PATTERN.match(sent):
        if response.headers.get(header) != sent:
            mismatch(f"{header} not echoed (MW-02)", f"{header}: {sent}", response)
        return
    assert_generated_request_id(response, header, sent=sent)
