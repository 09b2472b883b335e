"""The one schemathesis hook: schema-valid input refused for a rule JSON Schema cannot state.

FUZZ-04 (SPEC.md) excepts such rules, VAL-02's cross-field rules among them: a
``positive_data_acceptance`` failure whose 422 names one of the profile's
``fuzz.unstated_rules`` is dropped — in the CLI run and in the suite's fuzz area alike.
"""

from __future__ import annotations

from typing import Any

import schemathesis

from schemathesis_conformance.checks import profile


def unstated_rule(status: int, body: bytes, rules: tuple[str, ...]) -> bool:
    """Whether the answer is a 422 naming one of ``rules``."""
    if status != 422:
        return False
    text = body.decode("utf-8", "replace")
    return any(rule in text for rule in rules)


@schemathesis.hook
def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
    """Keep every failure except a refusal FUZZ-04 excepts."""
    if "positive_data_acceptance" not in getattr(failure, "checks", ()):
        return True
    return not unstated_rule(response.status_code, response.content, profile().fuzz.unstated_rules)
