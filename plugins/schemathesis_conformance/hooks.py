"""The one schemathesis hook: schema-valid input refused for a rule JSON Schema cannot state.

FUZZ-04 (SPEC.md) excepts such rules, VAL-02's cross-field rules among them: a
``positive_data_acceptance`` failure whose 422 names one of the profile's
``fuzz.unstated_rules`` is dropped. The suite's fuzz area applies the same rule through
``ConformanceChecks.keeps`` with its own profile.
"""

from __future__ import annotations

from typing import Any

import schemathesis

from schemathesis_conformance.checks import cli_checks


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure except a refusal FUZZ-04 excepts."""
    return cli_checks().keeps(failure, response)
