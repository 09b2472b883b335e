"""--fuzz-examples (ini and environment twins) and the fuzz area's failure reports."""

from __future__ import annotations

import pytest
from plugin_testing import assert_usage_error, run, run_inline

pytestmark = pytest.mark.usefixtures("project")

SHOW_SETTING = """
from pytest_conformance.profile.settings import fuzz_examples


def test_show(pytestconfig):
    print("FUZZ-EXAMPLES", fuzz_examples(pytestconfig))
"""

# A FastAPI app whose one route crashes on large numbers and sets no security headers.
FRAGILE_APP = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/square/{n}")
def square(n: int) -> dict[str, int]:
    if n > 1_000_000:
        raise OverflowError("too large")
    return {"square": n * n}
"""


def _shown(result: pytest.RunResult) -> str:
    shown = [line.split("FUZZ-EXAMPLES ")[1] for line in result.outlines if "FUZZ-EXAMPLES" in line]
    assert shown, "\n".join(result.outlines)
    return shown[0].split()[0]


def test_unset_means_the_profile_decides(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_show=SHOW_SETTING)
    assert _shown(run_inline(pytester, "-s")) == "None"


def test_command_line_beats_environment_beats_ini(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_show=SHOW_SETTING)
    pytester.makeini("[pytest]\nfuzz_examples = 7\n")
    assert _shown(run_inline(pytester, "-s")) == "7"
    monkeypatch.setenv("CONFORMANCE_FUZZ_EXAMPLES", "11")
    assert _shown(run_inline(pytester, "-s")) == "11"
    assert _shown(run_inline(pytester, "-s", "--fuzz-examples=13")) == "13"


@pytest.mark.parametrize("value", ["many", "-3", "2.5"])
def test_not_a_number_of_cases_is_a_usage_error(pytester: pytest.Pytester, value: str) -> None:
    pytester.makepyfile(test_show=SHOW_SETTING)
    result = run_inline(pytester, f"--fuzz-examples={value}")
    assert_usage_error(result, f"--fuzz-examples={value}", "0 turns fuzzing off")


def test_zero_turns_the_fuzz_area_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_show=SHOW_SETTING)
    assert _shown(run_inline(pytester, "-s", "--fuzz-examples=0")) == "0"


def test_a_crash_is_reported_with_its_id_check_and_curl_line(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(fragile_app=FRAGILE_APP)
    result = run(
        pytester, "--pyargs", "conformance", "-m", "fuzz", "--target-app=fragile_app:app",
        "--fuzz-examples=5", "-p", "no:randomly",
    )  # fmt: skip
    output = result.stdout.str()
    assert "FUZZ-01: server errors" in output, output
    assert "[not_a_server_error] GET /square/{n}" in output
    # one cause is reported once: our own 5xx assertion does not repeat schemathesis's
    assert "[conformance_no_server_error]" not in output
    assert "reproduce: curl -X GET http://testserver/square/1" in output
    # the crash is FUZZ-01's: no second finding for its undocumented status
    assert "FUZZ-02" not in [
        line.split()[0] for line in result.outlines if line.startswith("FAILED")
    ]
