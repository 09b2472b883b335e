"""The order a conformance run takes: the checks, the fuzz area, the run-wide findings, DI-04."""

from __future__ import annotations

import pytest
from plugin_testing import run_inline

TARGET = "--target-url=http://127.0.0.1:9"

CHECKS = """
from pytest_conformance import check


@check("DI-04", "judges what the app raised during the run", ref="Ex 1")
def test_last():
    pass


@check("FUZZ-01", "generated requests", ref="Ex 1")
def test_fuzz():
    pass


@check("ERR-04", "a check", ref="Ex 1")
def test_check():
    pass


@check("FUZZ-02", "generated requests, judged", ref="Ex 1")
def test_fuzz_judged():
    pass


@check("MW-01", "another check", ref="Ex 1")
def test_other():
    pass
"""


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
