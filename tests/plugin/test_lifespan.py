"""The target's lifespan: startup before the first check, shutdown after the last."""

from __future__ import annotations

import pytest
from plugin_testing import ALL_MODES, run

pytestmark = pytest.mark.usefixtures("project")

CHECKS = """
from pathlib import Path

from pytest_conformance import check

from target_app import events


@check("LIFE-01", "startup ran before the first check", ref="Ex 1")
def test_first(client):
    assert events() == ["startup"]
    assert client.get("/ping").status_code == 200


@check("LIFE-02", "startup ran once, shutdown not yet", ref="Ex 1")
def test_last(client):
    assert client.get("/ping").status_code == 200
    assert events() == ["startup"]
"""


@pytest.mark.parametrize("mode", ALL_MODES)
def test_startup_before_the_first_check_and_shutdown_after_the_last(
    pytester: pytest.Pytester, mode: str
) -> None:
    pytester.makepyfile(test_checks=CHECKS)
    result = run(pytester, *ALL_MODES[mode])
    result.assert_outcomes(passed=2)
    events = (pytester.path / "events.log").read_text().split()
    assert events == ["startup", "shutdown"]


FAILING_STARTUP_APP = """
import contextlib

from starlette.applications import Starlette


@contextlib.asynccontextmanager
async def lifespan(app):
    raise RuntimeError("the database is down")
    yield


app = Starlette(lifespan=lifespan)
"""

ONE_CHECK = """
from pytest_conformance import check


@check("LIFE-01", "never runs", ref="Ex 1")
def test_never(client):
    raise AssertionError("a check ran against a target that did not start")
"""


@pytest.mark.parametrize("mode", ALL_MODES)
def test_a_failing_startup_exits_with_a_clear_message(pytester: pytest.Pytester, mode: str) -> None:
    pytester.makepyfile(target_app=FAILING_STARTUP_APP, test_checks=ONE_CHECK)
    result = run(pytester, *ALL_MODES[mode])
    output = result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.USAGE_ERROR, output
    assert "a check ran against a target" not in output
    result.stdout.fnmatch_lines(
        [
            "*conformance target --target-*=target_app:app (from command line) did not start: "
            "*RuntimeError: the database is down*"
        ]
    )
    # uvicorn's exit from its thread is the plugin's to report, not an unhandled exception
    assert "PytestUnhandledThreadExceptionWarning" not in output
