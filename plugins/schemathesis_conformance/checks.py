"""The schemathesis checks, each a thin adapter over a conformance assertion helper."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from pytest_conformance.profile import Profile, load_profile_file

from conformance.assertions.envelope import assert_envelope
from conformance.assertions.headers import assert_security_headers


@functools.cache
def profile() -> Profile:
    path = os.environ.get("CONFORMANCE_PROFILE")
    return load_profile_file(Path(path)) if path else Profile()


def as_httpx(response: Any) -> httpx.Response:
    """The schemathesis response as the httpx response our helpers read."""
    request = response.request
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=response.content,
        request=httpx.Request(request.method or "GET", request.url or "http://target/"),
    )


@schemathesis.check
def conformance_security_headers(ctx: Any, response: Any, case: Any) -> bool | None:
    """MW-01: every answer carries the security headers."""
    assert_security_headers(as_httpx(response))
    return None


@schemathesis.check
def conformance_error_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    """ERR-01: every 4xx/5xx answer carries the profile's error envelope."""
    if response.status_code >= 400:
        assert_envelope(as_httpx(response), profile().envelope)
    return None
