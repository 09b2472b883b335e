"""Our assertions registered as schemathesis checks, for the schemathesis CLI.

Each registered function hands the answer to a ``conformance.fuzzing.checks.ConformanceChecks``
built from the profile ``find_profile`` locates for ``$CONFORMANCE_PROFILE`` (else
``[tool.conformance]`` in ./pyproject.toml, else SPEC.md's defaults), loaded once. The
suite's fuzz area builds its own ``ConformanceChecks`` from the suite's profile and does not
import this module.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import httpx
import schemathesis
from pytest_conformance.profile import PROFILE_ENV, Profile, find_profile

from conformance.fuzzing.checks import ConformanceChecks


@functools.cache
def cli_checks() -> ConformanceChecks:
    """The checks of this process, judging by the profile of its environment (loaded once)."""
    named = os.environ.get(PROFILE_ENV)
    return ConformanceChecks(find_profile(named, f"environment {PROFILE_ENV}").profile)


def profile() -> Profile:
    return cli_checks().profile


def as_httpx(response: Any) -> httpx.Response:
    return cli_checks().as_httpx(response)


@schemathesis.check
def conformance_no_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    """FUZZ-01: no generated request gets a 5xx answer."""
    return cli_checks().conformance_no_server_error(ctx, response, case)


@schemathesis.check
def conformance_security_headers(ctx: Any, response: Any, case: Any) -> bool | None:
    """MW-01: every answer carries the security headers (unless the profile says it sets none)."""
    return cli_checks().conformance_security_headers(ctx, response, case)


@schemathesis.check
def conformance_error_envelope(ctx: Any, response: Any, case: Any) -> bool | None:
    """ERR-01/02: every 4xx/5xx answer carries the profile's envelope with the status's code."""
    return cli_checks().conformance_error_envelope(ctx, response, case)


@schemathesis.check
def conformance_request_id(ctx: Any, response: Any, case: Any) -> bool | None:
    """MW-02: a sent request ID is echoed; without one, the answer carries a generated one."""
    return cli_checks().conformance_request_id(ctx, response, case)


@schemathesis.check
def conformance_bearer_challenge(ctx: Any, response: Any, case: Any) -> bool | None:
    """AUTH-06/07: every 401 carries ``WWW-Authenticate: Bearer`` (the profile's scheme)."""
    return cli_checks().conformance_bearer_challenge(ctx, response, case)


@schemathesis.check
def conformance_no_secrets(ctx: Any, response: Any, case: Any) -> bool | None:
    """LIFE-02: no configured secret (``secrets``, ``[jwt] secret``) in any body."""
    return cli_checks().conformance_no_secrets(ctx, response, case)


CHECKS = (
    conformance_no_server_error,
    conformance_security_headers,
    conformance_error_envelope,
    conformance_request_id,
    conformance_bearer_challenge,
    conformance_no_secrets,
)
