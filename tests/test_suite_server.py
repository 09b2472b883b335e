"""The fork server runs each job as its own pytest: its environment, its exit code, its output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.suite_server import SuiteServer
from tests.support import shared_server

CHECKS = """
import os, time

def test_sees_only_its_environment():
    assert os.environ["SUITE_SERVER_JOB"] == "mine"
    assert "SUITE_SERVER_PARENT_ONLY" not in os.environ

def test_fails():
    assert False, "told in the output"

def test_hangs():
    time.sleep(60)
"""


@pytest.fixture
def server() -> SuiteServer:
    """The server every suite run of this test process is forked from."""
    return shared_server()


def _job(tmp_path: Path, selected: str) -> tuple[list[str], dict[str, str], Path]:
    checks = tmp_path / "test_job.py"
    checks.write_text(CHECKS, encoding="utf-8")
    args = [str(checks), "-k", selected, "-p", "no:cacheprovider", "-o", "addopts=", "-q"]
    env = {**os.environ, "SUITE_SERVER_JOB": "mine"}
    env.pop("SUITE_SERVER_PARENT_ONLY", None)
    return args, env, tmp_path / "output.txt"


def test_a_job_runs_with_exactly_its_environment(server: SuiteServer, tmp_path: Path) -> None:
    args, env, output = _job(tmp_path, "environment")
    os.environ["SUITE_SERVER_PARENT_ONLY"] = "1"  # in the test process, not in the job
    try:
        assert server.run(args, env, output, timeout=60) == 0, output.read_text()
    finally:
        del os.environ["SUITE_SERVER_PARENT_ONLY"]


def test_a_failing_job_answers_pytests_exit_code_and_output(
    server: SuiteServer, tmp_path: Path
) -> None:
    args, env, output = _job(tmp_path, "fails")
    assert server.run(args, env, output, timeout=60) == 1
    assert "told in the output" in output.read_text()


def test_a_hanging_job_is_killed_at_its_timeout(server: SuiteServer, tmp_path: Path) -> None:
    args, env, output = _job(tmp_path, "hangs")
    assert server.run(args, env, output, timeout=2) == -9
    args, env, output = _job(tmp_path, "environment")
    assert server.run(args, env, output, timeout=60) == 0  # the server goes on
