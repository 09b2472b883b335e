"""Failure messages that show expected against received: status, headers, body excerpt."""

from __future__ import annotations

from typing import NoReturn

import httpx

BODY_EXCERPT = 400


def received(response: httpx.Response) -> str:
    """A compact picture of a response for failure messages."""
    request = response.request
    headers = "\n".join(f"    {name}: {value}" for name, value in response.headers.items())
    try:
        body = response.text
    except (httpx.ResponseNotRead, UnicodeDecodeError):
        body = "<not read>"
    if len(body) > BODY_EXCERPT:
        body = body[:BODY_EXCERPT] + f"… ({len(body)} characters)"
    return (
        f"  request:  {request.method} {request.url}\n"
        f"  status:   {response.status_code}\n"
        f"  headers:\n{headers}\n"
        f"  body:     {body or '<empty>'}"
    )


def mismatch(
    what: str, expected: str, response: httpx.Response, *, hint: str | None = None
) -> NoReturn:
    """Fail the running check: what was checked, what was expected, what came back."""
    __tracebackhide__ = True
    message = f"{what}\n  expected: {expected}\n{received(response)}"
    if hint:
        message += f"\n  hint:     {hint}"
    raise AssertionError(message)
