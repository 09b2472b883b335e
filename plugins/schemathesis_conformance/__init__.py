"""Our assertions as schemathesis checks.

Load it as schemathesis hooks (``SCHEMATHESIS_HOOKS=schemathesis_conformance schemathesis run
URL``) or import it before a Python schemathesis run: every generated answer is then held
to the suite's own assertions (the same helpers the conformance checks use). The profile
comes from ``CONFORMANCE_PROFILE`` (a TOML file) or SPEC.md's defaults.
"""

from __future__ import annotations

from schemathesis_conformance.checks import conformance_error_envelope, conformance_security_headers

__all__ = ["conformance_error_envelope", "conformance_security_headers"]
