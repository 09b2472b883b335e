"""The reference app passes the whole suite in all three target modes."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import REPO_ROOT, reference_env, run_suite


def _assert_clean(run_output: str, returncode: int, outcomes: dict[str, int]) -> None:
    assert returncode == 0, run_output[-4000:]
    assert outcomes.get("failed", 0) == 0
    assert outcomes.get("passed", 0) > 0


def test_in_process(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--target-app=reference_app:app")
    _assert_clean(run.output, run.returncode, run.outcomes())
    assert "conformance report" in run.output


@pytest.mark.parametrize("where", ["thread", "subprocess"])
def test_served(tmp_path: Path, where: str) -> None:
    run = run_suite(tmp_path, "--target-serve=reference_app:app", f"--target-serve-in={where}")
    _assert_clean(run.output, run.returncode, run.outcomes())


@contextlib.contextmanager
def _running_reference_server(tmp_path: Path, env: dict[str, str]) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "reference_app", "serve", "--host", "127.0.0.1",
         "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert server.poll() is None, "the reference server exited during startup"
            with contextlib.suppress(httpx.TransportError):
                httpx.get(url + "/health", timeout=1)
                break
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(15)


def test_over_url(tmp_path: Path) -> None:
    env = reference_env(tmp_path)  # one set of secrets: the suite forges tokens with it
    with _running_reference_server(tmp_path, env) as url:
        run = run_suite(tmp_path, f"--target-url={url}", env=env)
    _assert_clean(run.output, run.returncode, run.outcomes())


def test_rfc9457_envelope(tmp_path: Path) -> None:
    """With ERROR_ENVELOPE=rfc9457 and the matching profile, ERR-06 runs and passes."""
    env = reference_env(tmp_path, ERROR_ENVELOPE="rfc9457")
    run = run_suite(tmp_path, "--target-app=reference_app:app", profile='envelope = "rfc9457"\n',
                    env=env)  # fmt: skip
    _assert_clean(run.output, run.returncode, run.outcomes())
    err06 = [c for c in run.report["checks"] if c["id"] == "ERR-06"]
    assert err06 and all(c["outcome"] == "passed" for c in err06)
