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


def test_under_xdist_a_failing_startup_stops_the_run_with_the_message(
    pytester: pytest.Pytester,
) -> None:
    """A worker cannot exit the run (xdist's controller crashes on it): the first check
    asking for the target errors with the reason and the run stops with it."""
    pytester.makepyfile(target_app=FAILING_STARTUP_APP, test_checks=ONE_CHECK)
    result = run(pytester, "--target-app=target_app:app", "-n", "2")
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output, output
    assert "a check ran against a target" not in output
    assert result.ret == pytest.ExitCode.INTERRUPTED, output
    result.stdout.fnmatch_lines(
        ["*Interrupted: conformance target --target-app=target_app:app (from command line) "
         "did not start: *RuntimeError: the database is down*"]
    )  # fmt: skip


def test_under_xdist_an_app_that_cannot_be_imported_stops_the_run_with_the_error(
    pytester: pytest.Pytester,
) -> None:
    """The user's import error, said once at the end, not a crashed worker."""
    pytester.makepyfile(target_app="raise RuntimeError('SECRET_KEY is missing')\n")
    pytester.makepyfile(test_checks=ONE_CHECK)
    result = run(pytester, "--target-app=target_app:app", "-n", "2")
    output = result.stdout.str() + result.stderr.str()
    assert "INTERNALERROR" not in output, output
    assert result.ret == pytest.ExitCode.INTERRUPTED, output
    result.stdout.fnmatch_lines(
        ["*Interrupted: --target-app=target_app:app: importing your module raised "
         "RuntimeError: SECRET_KEY is missing*"]
    )  # fmt: skip
