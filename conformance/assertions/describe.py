"""Failure messages that show expected against received: status, headers, body excerpt."""

from __future__ import annotations

from typing import NoReturn

import httpx
from pytest_conformance.report.failure import (
    BODY_EXCERPT,
    ConformanceFailure,
    Received,
    Request,
    SetupFailure,
)

__all__ = [
    "BODY_EXCERPT",
    "cannot_set_up",
    "mismatch",
    "received",
    "received_of",
    "request_of",
]


def request_of(response: httpx.Response) -> Request:
    request = response.request
    return Request(method=request.method, url=str(request.url), path=request.url.path)


def received_of(response: httpx.Response) -> Received:
    """What the failure keeps of a response (the body only as far as it was read)."""
    headers = list(response.headers.items())
    try:
        body = response.text
    except (httpx.ResponseNotRead, UnicodeDecodeError):
        return Received(response.status_code, headers, body_read=False)
    return Received(response.status_code, headers, body, len(body))


def received(response: httpx.Response) -> str:
    """A compact picture of a response for failure messages."""
    seen = received_of(response)
    headers = "\n".join(f"    {name}: {value}" for name, value in seen.headers)
    return (
        f"  request:  {request_of(response)}\n"
        f"  status:   {seen.status}\n"
        f"  headers:\n{headers}\n"
        f"  body:     {seen.body_excerpt()}"
    )


def mismatch(
    what: str, expected: str, response: httpx.Response, *, hint: str | None = None
) -> NoReturn:
    """Fail the running check: what was checked, what was expected, what came back."""
    __tracebackhide__ = True
    raise ConformanceFailure(
        what, expected, received=received_of(response), request=request_of(response), hint=hint
    )


def cannot_set_up(
    what: str, expected: str, response: httpx.Response, *, hint: str | None = None
) -> NoReturn:
    """The check cannot reach the situation it judges: a setup error naming the answer
    that came instead (the status, headers and body), not a verdict on the check's ID."""
    __tracebackhide__ = True
    raise SetupFailure(
        what, expected, received=received_of(response), request=request_of(response), hint=hint
    )
