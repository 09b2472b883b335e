"""The order a conformance run takes: the checks, the fuzz area, the run-wide findings, DI-04."""

from __future__ import annotations

import pytest
from plugin_testing import run_inline

TARGET = "--target-url=http://127.0.0.1:9"

# collected in this order: a check, the fuzz, DI-04 and the fuzz again, another check
COLLECTED = (("check", "ERR-04"), ("fuzz", "FUZZ-01"), ("last", "DI-04"),
             ("fuzz_judged", "FUZZ-02"), ("other", "MW-01"))  # fmt: skip
CHECKS = "from pytest_conformance import check\n" + "".join(
    f'\n\n@check("{check_id}", "a check", ref="Ex 1")\ndef test_{name}():\n    pass\n'
    for name, check_id in COLLECTED
)


def test_the_fuzz_runs_after_the_checks_and_before_the_findings_and_di04(
    pytester: pytest.Pytester,
) -> None:
    """The fuzz may change the target where its cleanup cannot reach (a create that stored
    a row, then answered 500): no other check judges what it left; the findings see its
    answers, and DI-04 the whole run."""
    pytester.makepyfile(test_checks=CHECKS)
    result = run_inline(pytester, TARGET, "-v", findings=True)
    ran = [
        line.split(" ")[0].split("::", 1)[1]
        for line in result.outlines
        if line.startswith(("test_checks.py::", "conformance/findings::"))
        and (" PASSED" in line or " SKIPPED" in line)
    ]
    assert ran == [
        "test_check[ERR-04]",
        "test_other[MW-01]",
        "test_fuzz[FUZZ-01]",
        "test_fuzz_judged[FUZZ-02]",
        "OAS-06",
        "LIFE-02",
        "ERR-07",
        "test_last[DI-04]",
    ], result.outlines
