"""The one schemathesis hook: schema-valid input refused, but not as invalid.

FUZZ-04 (SPEC.md) excepts rules JSON Schema cannot state, VAL-02's cross-field rules among
them: a ``positive_data_acceptance`` failure whose 422 names one of the profile's
``fuzz.unstated_rules`` is dropped, and so is one answered with a status the operation
documents that is not the profile's validation status (a business rule, such as a 400 for
an account that exists). The suite's fuzz area applies the same rule through
``ConformanceChecks.keeps`` with its own profile.
"""

from __future__ import annotations

from typing import Any

import schemathesis

from schemathesis_conformance.checks import cli_checks


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure except a refusal FUZZ-04 excepts."""
    return cli_checks().keeps(failure, response, getattr(case, "operation", None))
