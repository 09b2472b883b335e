"""Capability gating: a check names what it needs, the plugin skips it in one wording."""

from __future__ import annotations

import pytest
from plugin_testing import run_inline
from pytest_conformance import check

TARGET = "--target-url=http://127.0.0.1:9"

CHECKS = """
import pytest
from pytest_conformance import check, require


@pytest.fixture
def started():
    raise AssertionError("a skipped check must not start its fixtures")


@check("RATE-01", "needs the rate limit", ref="Ex 28", needs=("rate_limit",))
def test_gated(started):
    pass


@check("AUTH-01", "needs auth and rbac", ref="Ex 30", needs=("auth", "rbac"))
def test_both():
    pass


@check("STREAM-03", "needs stream parameters only for one case", ref="Ex 43", needs="streams")
@pytest.mark.parametrize("custom", [False, True])
def test_conditional(custom, conformance_profile):
    if custom:
        require(conformance_profile, "stream_params")
"""


def _outcomes(result: pytest.RunResult) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in result.outlines:
        for outcome in ("PASSED", "SKIPPED", "FAILED", "ERROR"):
            if line.startswith("test_checks.py::") and f" {outcome}" in line:
                found[line.split(" ")[0].split("::", 1)[1]] = outcome
    return found


def test_an_absent_capability_skips_before_fixtures_naming_the_key(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_checks=CHECKS)
    pytester.makefile(
        ".toml", profile="[capabilities]\nrate_limit = false\nrbac = false\nstream_params = false\n"
    )
    result = run_inline(pytester, TARGET, "--profile=profile.toml", "-v", "-rs")
    assert _outcomes(result) == {
        "test_gated[RATE-01]": "SKIPPED",
        "test_both[AUTH-01]": "SKIPPED",
        "test_conditional[STREAM-03-False]": "PASSED",
        "test_conditional[STREAM-03-True]": "SKIPPED",
    }
    output = "\n".join(result.outlines)
    wording = "the profile says the target has no 'rate_limit' ([capabilities] rate_limit = false)"
    assert wording in output
    assert "has no 'rbac' ([capabilities] rbac = false)" in output  # only what is off
    assert "'stream_params' ([capabilities] stream_params = false)" in output


def test_present_capabilities_run_the_check(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_checks=CHECKS.replace("raise AssertionError", "return None  #"))
    result = run_inline(pytester, TARGET, "-v")
    assert set(_outcomes(result).values()) == {"PASSED"}


def test_a_need_that_is_no_capability_is_refused_where_the_check_is_written() -> None:
    with pytest.raises(ValueError, match=r"RATE-01: needs names no capability.*'rate_limits'"):
        check("RATE-01", "misspelt", ref="Ex 28", needs=("rate_limits",))
