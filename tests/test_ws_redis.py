"""WS-07: with BROADCAST_BACKEND=redis, two server processes deliver to each other's clients.

Two real uvicorn processes on loopback share a real Redis, and the suite's WS checks run
against the first with the second as its peer; a control run with the memory backend
shows that WS-07, and only it, catches per-process broadcasts.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.support import SuiteRun, reference_env, run_suite, served_reference

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _run_ws_area(tmp_path: Path, backend: str) -> SuiteRun:
    """The WS checks against server A, with server B named as its peer process."""
    env = reference_env(tmp_path, BROADCAST_BACKEND=backend, REDIS_URL=REDIS_URL)
    databases = [f"sqlite+aiosqlite:///{tmp_path / name}.db" for name in ("a", "b")]
    with (
        served_reference({**env, "DATABASE_URL": databases[0]}) as first,
        served_reference({**env, "DATABASE_URL": databases[1]}) as second,
    ):
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
