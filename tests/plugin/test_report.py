"""Check identity (node ids, markers), levels and the report.

The checks here never ask for the target, so nothing starts and the runs stay in this
process; --target-url only satisfies the plugin that a target is named.
"""

from __future__ import annotations

import json

import pytest
from plugin_testing import run_inline

TARGET = "--target-url=http://127.0.0.1:9"

CHECKS = """
from pytest_conformance import check


@check("ERR-01", "the first error check", ref="Ex 51")
def test_one():
    pass


@check("ERR-02", "the second error check", ref="Ex 52")
def test_two():
    pass


@check("AUTH-01", "the token answer is not cached", ref="RFC 6749 §5.1", level="strict")
def test_strict():
    assert False, "no Cache-Control: no-store on the token answer"


def test_plain():
    pass
"""

CONTRACT_FAILURE = """
from pytest_conformance import check


@check("PAGE-01", "a contract failure", ref="Ex 70")
def test_contract():
    assert 1 == 2, "the page repeats an item"
"""


@pytest.fixture(autouse=True)
def _checks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_checks=CHECKS)


def test_the_id_is_in_the_node_id_and_k_selects_it(pytester: pytest.Pytester) -> None:
    result = run_inline(pytester, TARGET, "-v", "-k", "ERR-01")
    result.assert_outcomes(passed=1, deselected=6)  # the three findings items too
    result.stdout.fnmatch_lines(["test_checks.py::test_one[[]ERR-01[]] PASSED*"])


def test_the_area_marker_selects(pytester: pytest.Pytester) -> None:
    result = run_inline(pytester, TARGET, "-v", "-m", "err", "--strict-markers")
    # ERR-07's findings item is an ERR item too (skipped: no error answer in this run)
    result.assert_outcomes(passed=2, skipped=1, deselected=4)
    result.stdout.fnmatch_lines(
        [
            "*::test_one[[]ERR-01[]] PASSED*",
            "*::test_two[[]ERR-02[]] PASSED*",
            "conformance/findings::ERR-07 SKIPPED*",
        ]
    )


def test_a_failing_strict_check_is_a_note_that_does_not_fail_the_run(
    pytester: pytest.Pytester,
) -> None:
    result = run_inline(pytester, TARGET, "-rx")
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=3, xfailed=1)
    result.stdout.fnmatch_lines(
        ["*test_strict[[]AUTH-01[]]*strict note: AssertionError: AUTH-01: no Cache-Control*"]
    )


def test_conformance_strict_fails_the_run_on_a_strict_check(pytester: pytest.Pytester) -> None:
    result = run_inline(pytester, TARGET, "--conformance-strict")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["conformance level: strict", "failed checks: AUTH-01"])


def test_the_terminal_table_has_a_row_per_area(pytester: pytest.Pytester) -> None:
    result = run_inline(pytester, TARGET)
    result.stdout.re_match_lines(
        [
            r"^=+ conformance report =+$",
            r"^area\s+passed\s+failed\s+not applicable\s+skipped\s+strict notes$",
            r"^AUTH\s+0\s+0\s+0\s+0\s+1$",
            r"^ERR\s+2\s+0\s+0\s+0\s+0$",
            r"^total\s+2\s+0\s+0\s+0\s+1$",
        ]
    )


def test_the_json_report(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_contract=CONTRACT_FAILURE)
    path = pytester.path / "out" / "report.json"
    result = run_inline(pytester, TARGET, f"--conformance-report={path}")
    result.assert_outcomes(passed=3, failed=1, xfailed=1)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["target"] == "--target-url=http://127.0.0.1:9 (from command line)"
    assert document["strict"] is False
    assert document["failed_ids"] == ["PAGE-01"]
    checks = {entry["id"]: entry for entry in document["checks"]}
    assert set(checks) == {"ERR-01", "ERR-02", "AUTH-01", "PAGE-01"}  # plain tests are not checks
    for entry in checks.values():
        assert {"id", "outcome", "duration", "message"} <= set(entry)
        assert isinstance(entry["duration"], float)
        assert entry["duration"] >= 0
    assert checks["ERR-01"]["outcome"] == "passed"
    assert checks["ERR-01"]["message"] == ""
    assert checks["ERR-01"]["nodeid"] == "test_checks.py::test_one[ERR-01]"
    assert checks["AUTH-01"]["outcome"] == "strict_note"
    assert checks["AUTH-01"]["level"] == "strict"
    assert "no Cache-Control: no-store" in checks["AUTH-01"]["message"]
    assert checks["PAGE-01"]["outcome"] == "failed"
    assert "the page repeats an item" in checks["PAGE-01"]["message"]
    assert "AssertionError: PAGE-01: the page repeats an item" in checks["PAGE-01"]["message"]
    assert document["summary"]["AUTH"] == {"strict_note": 1}
    assert document["summary"]["ERR"] == {"passed": 2}


NAMELESS_FAILURES = """
import pytest
from pytest_conformance import check


@check("CACHE-01", "an assertion without the ID", ref="Ex 48")
def test_assertion():
    raise AssertionError("the computation has no computed_at")


@check("AUTH-06", "pytest.fail without the ID", ref="Ex 30")
def test_fail():
    pytest.fail("empty_bearer: wrong message")


@check("PAGE-02", "a message that names its ID already", ref="Ex 34")
def test_named():
    pytest.fail("PAGE-02: pages overlap")
"""


def test_every_failure_message_starts_with_the_check_id(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_nameless=NAMELESS_FAILURES)
    result = run_inline(pytester, TARGET, "-rf", "-k", "nameless")
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines_random(
        [
            "*AssertionError: CACHE-01: the computation has no computed_at*",
            "*AUTH-06: empty_bearer: wrong message*",
            "*PAGE-02: pages overlap*",
        ]
    )
    result.stdout.no_fnmatch_line("*PAGE-02: PAGE-02*")


def test_a_check_id_must_be_area_dash_number(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_bad_id="""
        from pytest_conformance import check

        @check("ERR1", "no dash", ref="Ex 1")
        def test_bad():
            pass
        """
    )
    result = run_inline(pytester, TARGET)
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*ValueError: check id 'ERR1' is not of the form AREA-NN*"])


DETAILED = """
from pytest_conformance import check


@check("FUZZ-01", "a check that keeps its findings", ref="design card")
def test_findings(record_property):
    record_property("conformance_findings", [{"operation": "GET /a"}, {"operation": "GET /b"}])
    record_property("unrelated", "not ours")
    assert False, "2 findings"
"""


def test_a_check_keeps_structured_details_in_the_json_report(pytester: pytest.Pytester) -> None:
    """``record_property("conformance_<name>", value)`` lands in the check's ``details``."""
    pytester.makepyfile(test_detailed=DETAILED)
    path = pytester.path / "report.json"
    run_inline(pytester, TARGET, f"--conformance-report={path}", "test_detailed.py")
    report = json.loads(path.read_text(encoding="utf-8"))
    checks = {entry["id"]: entry for entry in report["checks"]}
    entry = checks["FUZZ-01"]
    assert entry["outcome"] == "failed"
    assert entry["details"] == {"findings": [{"operation": "GET /a"}, {"operation": "GET /b"}]}
