"""WS-07: with BROADCAST_BACKEND=redis, two server processes deliver to each other's clients.

Two real uvicorn processes on loopback share a real Redis, and the suite's WS checks run
against the first with the second as its peer; a control run with the memory backend
shows that WS-07, and only it, catches per-process broadcasts.
"""

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

from tests.support import REPO_ROOT, SuiteRun, reference_env, run_suite

REDIS_URL = "redis://127.0.0.1:6379/0"
START_TIMEOUT = 30.0


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _server(tmp_path: Path, env: dict[str, str]) -> Iterator[str]:
    """A reference server (uvicorn, proxy headers trusted from loopback), own database."""
    port = _free_port()
    tmp_path.mkdir()
    env = {**env, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'reference.db'}"}
    command = [sys.executable, "-m", "reference_app", "serve", "--port", str(port)]
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                    break
            assert process.poll() is None, "the server exited during startup"
            assert time.monotonic() < deadline, "the server did not start in time"
            time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _run_ws_area(tmp_path: Path, backend: str) -> SuiteRun:
    """The WS checks against server A, with server B named as its peer process."""
    env = reference_env(tmp_path, BROADCAST_BACKEND=backend, REDIS_URL=REDIS_URL)
    with _server(tmp_path / "a", env) as first, _server(tmp_path / "b", env) as second:
        return run_suite(
            tmp_path,
            f"--target-url={first}",
            profile=f'[websockets]\npeer_urls = ["{second}"]\n',
            env=env,
            extra_args=("-m", "ws"),
        )


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_redis_backend_crosses_processes(tmp_path: Path) -> None:
    run = _run_ws_area(tmp_path, "redis")
    outcomes = {entry["id"]: entry["outcome"] for entry in run.report.get("checks", [])}
    assert run.returncode == 0, run.output[-3000:]
    assert outcomes.get("WS-07") == "passed", run.output[-3000:]


def test_memory_backend_fails_ws07_only(tmp_path: Path) -> None:
    """The control: per-process broadcasts are caught by WS-07, and only by it."""
    run = _run_ws_area(tmp_path, "memory")
    assert run.returncode == 1, run.output[-3000:]
    assert run.failed_ids == {"WS-07"}, run.output[-3000:]
