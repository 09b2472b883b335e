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
from pytest_conformance.profile.sections import PROFILE_ENV, Profile, find_profile

from conformance.fuzzing.checks import CheckFunction, ConformanceChecks


@functools.cache
def cli_checks() -> ConformanceChecks:
    """The checks of this process, judging by the profile of its environment (loaded once)."""
    named = os.environ.get(PROFILE_ENV)
    return ConformanceChecks(find_profile(named, f"environment {PROFILE_ENV}").profile)


def profile() -> Profile:
    return cli_checks().profile


def as_httpx(response: Any) -> httpx.Response:
    return cli_checks().as_httpx(response)


def _registered(name: str) -> CheckFunction:
    """A schemathesis check named ``name`` that hands the answer to ``cli_checks()``."""

    def check(ctx: Any, response: Any, case: Any) -> bool | None:
        result: bool | None = getattr(cli_checks(), name)(ctx, response, case)
        return result

    check.__name__ = check.__qualname__ = name
    check.__doc__ = getattr(ConformanceChecks, name).__doc__
    return schemathesis.check(check)


conformance_no_server_error = _registered("conformance_no_server_error")
conformance_security_headers = _registered("conformance_security_headers")
conformance_error_envelope = _registered("conformance_error_envelope")
conformance_request_id = _registered("conformance_request_id")
conformance_bearer_challenge = _registered("conformance_bearer_challenge")
conformance_no_secrets = _registered("conformance_no_secrets")

CHECKS = (
    conformance_no_server_error,
    conformance_security_headers,
    conformance_error_envelope,
    conformance_request_id,
    conformance_bearer_challenge,
    conformance_no_secrets,
)
assert tuple(check.__name__ for check in CHECKS) == ConformanceChecks.NAMES
