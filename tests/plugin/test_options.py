"""Naming the target: three modes, each with a command-line, ini and environment twin."""

from __future__ import annotations

import pytest
from plugin_testing import ALL_MODES, TRIVIAL_CHECK, run
from pytest_conformance.targets.served import ServedApp

pytestmark = pytest.mark.usefixtures("project")


@pytest.mark.parametrize("mode", ALL_MODES)
def test_each_target_mode_passes_a_trivial_check(pytester: pytest.Pytester, mode: str) -> None:
    pytester.makepyfile(test_checks=TRIVIAL_CHECK)
    result = run(pytester, *ALL_MODES[mode])
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["conformance target: --target-*=target_app:app (from command line)"]
    )


def test_target_url_passes_a_trivial_check(pytester: pytest.Pytester) -> None:
    """--target-url against a server the run does not own (uvicorn in a process of its own)."""
    server = ServedApp(
        "target_app:app", None, startup_timeout=10, shutdown_timeout=2, mode="subprocess"
    )
    server.start()
    try:
        pytester.makepyfile(test_checks=TRIVIAL_CHECK)
        result = run(pytester, f"--target-url={server.base_url}")
    finally:
        server.stop()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [f"conformance target: --target-url={server.base_url} (from command line)"]
    )


def test_ini_twin_names_the_target_and_the_ini_file(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ntarget_app = target_app:app\n")
    pytester.makepyfile(test_checks=TRIVIAL_CHECK)
    result = run(pytester)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["conformance target: --target-app=target_app:app (from ini file tox.ini)"]
    )


def test_environment_twin_names_the_variable(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONFORMANCE_TARGET_APP", "target_app:app")
    pytester.makepyfile(test_checks=TRIVIAL_CHECK)
    result = run(pytester)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "conformance target: --target-app=target_app:app "
            "(from environment CONFORMANCE_TARGET_APP)"
        ]
    )


def test_environment_wins_over_ini(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A different mode at a lower level is not a second target: the higher level wins."""
    pytester.makeini("[pytest]\ntarget_url = http://127.0.0.1:9\n")
    monkeypatch.setenv("CONFORMANCE_TARGET_APP", "target_app:app")
    pytester.makepyfile(test_checks=TRIVIAL_CHECK)
    result = run(pytester)
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["conformance target: --target-app=target_app:app (from env*"])


def test_command_line_wins_over_environment_and_ini(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeini("[pytest]\ntarget_app = target_app:missing_in_ini\n")
    monkeypatch.setenv("CONFORMANCE_TARGET_URL", "http://127.0.0.1:9")
    pytester.makepyfile(test_checks=TRIVIAL_CHECK)
    result = run(pytester, "--target-app=target_app:app")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["conformance target: --target-app=target_app:app (from command line)"]
    )
    result.stdout.no_fnmatch_line("*missing_in_ini*")


def test_profile_from_pyproject_is_named_in_the_header(pytester: pytest.Pytester) -> None:
    pytester.makepyprojecttoml("[tool.conformance.timeouts]\nrequest = 2.5\n")
    pytester.makepyfile(
        test_checks="""
        from pytest_conformance import check

        @check("ERR-01", "the profile is the project's", ref="Ex 1")
        def test_profile(conformance_profile):
            assert conformance_profile.timeouts.request == 2.5
        """
    )
    result = run(pytester, "--target-app=target_app:app")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["conformance profile: *pyproject.toml [[]tool.conformance[]]"])
