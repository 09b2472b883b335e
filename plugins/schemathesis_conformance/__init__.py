"""Our assertions as schemathesis checks.

Load it as schemathesis hooks (``SCHEMATHESIS_HOOKS=schemathesis_conformance schemathesis run
URL``) or import it before a Python schemathesis run: every generated answer is then held
to the suite's own assertions (the same helpers the conformance checks use). The profile
comes from ``CONFORMANCE_PROFILE`` (a TOML file), else ``[tool.conformance]`` in
./pyproject.toml, else SPEC.md's defaults.
"""

from __future__ import annotations

from schemathesis_conformance.checks import (
    CHECKS,
    conformance_bearer_challenge,
    conformance_error_envelope,
    conformance_no_secrets,
    conformance_no_server_error,
    conformance_request_id,
    conformance_security_headers,
)
from schemathesis_conformance.hooks import filter_failure

__all__ = [
    "CHECKS",
    "conformance_bearer_challenge",
    "conformance_error_envelope",
    "conformance_no_secrets",
    "conformance_no_server_error",
    "conformance_request_id",
    "conformance_security_headers",
    "filter_failure",
]
