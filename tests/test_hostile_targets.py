"""The whole suite against hostile targets ends in time, in bounded memory, naming the cause.

Each app of ``tests/targets/hostile.py`` is hostile one way; the suite runs against it in a
fresh subprocess (as a user would), in-process and served (thread and subprocess), with
small profile timeouts. The dead-target stop (``timeouts.unresponsive_after``) is what keeps
these runs short. Issue 15.

Each run costs the suite's start (~5-10 s on a loaded machine), so the served modes run only
where their own code is at stake: the readiness probe (silent, trickle), the WebSocket
session over sockets (silent_ws, thread), the lifespan shim (thread, and the subprocess's
``--factory``), the byte cap over sockets (huge, thread). Garbage is judged by the plugin's
report hygiene, the same code in every mode.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support import REPO_ROOT, child_env

DEADLINE = 120.0  # seconds for a whole run
PEAK_MB = 500.0
PROFILE = """
[timeouts]
request = 1.0
stream = 0.5
total = 2.0
startup = 20.0
shutdown = 1.0
"""
MODES = {
    "in-process": ("--target-app",),
    "thread": ("--target-serve", "--target-serve-in=thread"),
    "subprocess": ("--target-serve", "--target-serve-in=subprocess"),
}
# app -> what the output must say (regular expressions, each must match)
CAUSES: dict[str, tuple[str, ...]] = {
    "silent_ws": (r"/ws did not echo every message \(WS-01\)", r"not told that client \d+ left"),
    "trickle": (r"the target is unresponsive", r"did not end (with)?in .*timeouts\.total"),
    "huge": (r"the target is unresponsive", r"outgrew 4194304 bytes \(profile limits\.body\)"),
    "silent": (r"the target is unresponsive", r"(no response within|timed out)"),
    "garbage": (r"\\x00",),
    "lifespan_unsupported": (r"conformance warning: the app does not support the ASGI lifespan",),
}
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass
class HostileRun:
    returncode: int
    output: str
    peak_rss_mb: float
    seconds: float
    report: dict[str, Any]


def run_hostile(tmp_path: Path, app: str, mode: str) -> HostileRun:
    """The whole suite against ``tests.targets.hostile:<app>``, with its peak memory."""
    profile = tmp_path / "profile.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    report_path = tmp_path / "report.json"
    measured = tmp_path / "measured.json"
    option, *extra = MODES[mode]
    command = [
        sys.executable, "-m", "tests.peak_memory", str(measured), "--",
        sys.executable, "-m", "pytest", "--pyargs", "conformance",
        f"{option}=tests.targets.hostile:{app}", *extra, f"--profile={profile}",
        f"--conformance-report={report_path}", "-p", "no:cacheprovider", "-q", "-o", "addopts=",
    ]  # fmt: skip
    env = child_env()
    out = tmp_path / "output.txt"
    start = time.monotonic()
    with out.open("wb") as sink:
        subprocess.run(
            command, cwd=REPO_ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
            timeout=DEADLINE * 2, check=False,
        )  # fmt: skip
    seconds = time.monotonic() - start
    result = json.loads(measured.read_text())
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    output = out.read_bytes().decode("utf-8", errors="replace")
    return HostileRun(result["returncode"], output, result["peak_rss_mb"], seconds, report)


def _bounded(run: HostileRun) -> None:
    tail = run.output[-3000:]
    assert run.seconds < DEADLINE, f"the run took {run.seconds:.0f} s\n{tail}"
    assert run.peak_rss_mb < PEAK_MB, f"peak memory {run.peak_rss_mb:.0f} MB\n{tail}"
    assert not _RAW_CONTROL.search(run.output), "raw control bytes reached the output"
    assert "During handling of the above exception" not in run.output


SERVED_IN = {
    "silent": ("thread", "subprocess"),
    "trickle": ("thread", "subprocess"),
    "huge": ("thread",),
    "silent_ws": ("thread",),
    "garbage": (),
    "lifespan_unsupported": ("thread", "subprocess"),
}
CASES = [(app, mode) for app in CAUSES for mode in ("in-process", *SERVED_IN[app])]


@pytest.mark.parametrize(("app", "mode"), CASES)
def test_a_hostile_target_fails_the_run_in_time(tmp_path: Path, app: str, mode: str) -> None:
    run = run_hostile(tmp_path, app, mode)
    _bounded(run)
    assert run.returncode == 1, run.output[-3000:]
    for cause in CAUSES[app]:
        assert re.search(cause, run.output), f"no {cause!r} in the output\n{run.output[-3000:]}"
    assert run.report.get("checks"), "the JSON report was not written"


@pytest.mark.parametrize("mode", MODES)
def test_a_failing_lifespan_startup_is_a_usage_error(tmp_path: Path, mode: str) -> None:
    run = run_hostile(tmp_path, "lifespan_failing", mode)
    _bounded(run)
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, run.output[-3000:]
    assert "did not start" in run.output
    assert "DatabaseUnreachable: db.example:5432 refused the connection" in run.output
