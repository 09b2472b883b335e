"""A hanging target fails the check with one clear line, within the profile's timeout."""

from __future__ import annotations

import time

import pytest
from plugin_testing import ALL_MODES, run

pytestmark = pytest.mark.usefixtures("project")

CHECKS = """
from pytest_conformance import check


@check("ERR-01", "a hanging route", ref="Ex 1")
def test_hangs(client):
    client.get("/sleep")


@check("AUTH-01", "a hanging route in a strict check", ref="Ex 1", level="strict")
def test_strict_hangs(client):
    client.get("/sleep")


@check("ERR-02", "the target still answers afterwards", ref="Ex 1")
def test_after(client):
    assert client.get("/ping").status_code == 200
"""

# a short shutdown too: at the end the served app waits that long for the sleeping request
PROFILE = "[timeouts]\nrequest = 0.5\nshutdown = 0.5\n"


@pytest.mark.parametrize("mode", ALL_MODES)
def test_a_hanging_route_fails_the_check_in_time(pytester: pytest.Pytester, mode: str) -> None:
    pytester.makepyfile(test_checks=CHECKS)
    profile = pytester.path / "profile.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    start = time.monotonic()
    result = run(pytester, *ALL_MODES[mode], f"--profile={profile}", "-rf")
    elapsed = time.monotonic() - start
    # a timeout is a failure, also in a strict check (never a strict note)
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*ERR-01: the target did not answer GET http://*/sleep in time (ReadTimeout*); "
            "a hanging target fails the check*raise timeouts.request in the profile (now 0.5 s)",
        ]
    )
    result.stdout.no_fnmatch_line("*Traceback*")
    # generous for a loaded 2-core machine (a served subprocess imports its app first), and
    # still well below the 30 s the route sleeps: the run did not wait for the answer
    assert elapsed < 25, f"the run took {elapsed:.1f} s against a 0.5 s request timeout"
