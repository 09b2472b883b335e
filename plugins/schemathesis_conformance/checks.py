"""The schemathesis checks, each a thin adapter over a conformance assertion helper.

Every check converts schemathesis's response to the ``httpx.Response`` our helpers read
(once per response) and calls the helper; the helper's ``AssertionError`` is the failure.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from pytest_conformance.profile import Profile, load_profile_file, load_pyproject_profile
from pytest_conformance.secret_search import configured_secrets

from conformance.assertions.challenge import assert_challenge
from conformance.assertions.envelope import assert_envelope, assert_error_code
from conformance.assertions.headers import assert_request_id_answer, assert_security_headers
from conformance.assertions.secrets import assert_no_secrets
from conformance.assertions.status import assert_not_server_error

PROFILE_ENV = "CONFORMANCE_PROFILE"

_profile: Profile | None = None
_lock = threading.Lock()
_last: tuple[Any, httpx.Response] | None = None


def load_profile() -> Profile:
    """``$CONFORMANCE_PROFILE`` (a TOML file), else ``[tool.conformance]`` in ./pyproject.toml,
    else SPEC.md's defaults."""
    path = os.environ.get(PROFILE_ENV)
    if path:
        return load_profile_file(Path(path))
    pyproject = Path.cwd() / "pyproject.toml"
    found = load_pyproject_profile(pyproject) if pyproject.is_file() else None
    return found or Profile()


def profile() -> Profile:
    """The profile the checks hold answers to (loaded once; ``use_profile`` replaces it)."""
    global _profile
    with _lock:
        if _profile is None:
            _profile = load_profile()
        return _profile


def use_profile(chosen: Profile | None) -> None:
    """Make the checks use ``chosen`` (the fuzz area passes the suite's own profile)."""
    global _profile
    with _lock:
        _profile = chosen


def as_httpx(response: Any) -> httpx.Response:
    """The schemathesis response as the httpx response our helpers read (converted once)."""
    global _last
    last = _last
    if last is not None and last[0] is response:
        return last[1]
    request = response.request
    request_headers = dict(getattr(request, "headers", None) or {})
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    converted = httpx.Response(
        response.status_code,
        headers=headers,
        content=response.content,
        request=httpx.Request(
            request.method or "GET", request.url or "http://target/", headers=request_headers
        ),
    )
    _last = (response, converted)
    return converted


@schemathesis.check
def conformance_no_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    """FUZZ-01: no generated request gets a 5xx answer."""
    assert_not_server_error(as_httpx(response))
    return None


@schemathesis.check
def conformance_security_headers(ctx: Any, response: Any, case: Any) -> bool | None:
    """MW-01: every answer carries the security headers (unless the profile says it sets none)."""
    if profile().capabilities.security_headers:
        assert_security_headers(as_httpx(response))
    return None


@schemathesis.check
def conformance_error_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    """ERR-01/02: every 4xx/5xx answer carries the profile's envelope with the status's code."""
    if response.status_code >= 400:
        answer = as_httpx(response)
        assert_envelope(answer, profile().envelope)
        assert_error_code(answer, profile().envelope)
    return None


@schemathesis.check
def conformance_request_id(ctx: Any, response: Any, case: Any) -> bool | None:
    """MW-02: a sent request ID is echoed; without one, the answer carries a generated one."""
    if profile().capabilities.request_id:
        assert_request_id_answer(as_httpx(response), profile().request_id_header)
    return None


@schemathesis.check
def conformance_bearer_challenge(ctx: Any, response: Any, case: Any) -> bool | None:
    """AUTH-06/07: every 401 carries ``WWW-Authenticate: Bearer`` (the profile's scheme)."""
    auth = profile().auth
    if response.status_code == 401 and auth.challenge:
        assert_challenge(as_httpx(response), auth.scheme)
    return None


@schemathesis.check
def conformance_no_secrets(ctx: Any, response: Any, case: Any) -> bool | None:
    """LIFE-02: no configured secret (``secrets``, ``[jwt] secret``) in any body."""
    if configured_secrets(profile()):
        assert_no_secrets(as_httpx(response), profile())
    return None


CHECKS = (
    conformance_no_server_error,
    conformance_security_headers,
    conformance_error_envelope,
    conformance_request_id,
    conformance_bearer_challenge,
    conformance_no_secrets,
)
