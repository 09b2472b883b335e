"""RATE-04: with RATE_LIMIT_BACKEND=redis, two server processes share one budget.

Skipped when no Redis answers at REDIS_URL (default redis://127.0.0.1:6379/0).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import reference_env, run_suite, served_reference

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_or_skip() -> None:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")


@contextlib.contextmanager
def _servers(env: dict[str, str], count: int) -> Iterator[list[str]]:
    """``count`` reference servers (uvicorn, proxy headers trusted from loopback)."""
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(served_reference(env)) for _ in range(count)]


def _profile(peers: list[str]) -> str:
    return "[rate_limit]\npeer_urls = [" + ", ".join(f'"{url}"' for url in peers) + "]\n"


def test_two_processes_share_one_budget(tmp_path: Path) -> None:
    _redis_or_skip()
    env = reference_env(tmp_path, RATE_LIMIT_BACKEND="redis", REDIS_URL=REDIS_URL)
    with _servers(env, 2) as (first, second):
        run = run_suite(
            tmp_path,
            f"--target-url={first}",
            profile=_profile([second]),
            env=env,
            extra_args=("-m", "rate"),
        )
    outcomes = {entry["id"]: entry["outcome"] for entry in run.report.get("checks", [])}
    assert run.returncode == 0, run.output[-3000:]
    assert outcomes.get("RATE-04") == "passed", run.output[-3000:]


def test_per_process_counters_fail_rate04(tmp_path: Path) -> None:
    """The same run with the in-memory backend: RATE-04, and only it, catches the split."""
    env = reference_env(tmp_path, RATE_LIMIT_BACKEND="memory")
    with _servers(env, 2) as (first, second):
        run = run_suite(
            tmp_path,
            f"--target-url={first}",
            profile=_profile([second]),
            env=env,
            extra_args=("-m", "rate"),
        )
    assert run.returncode == 1, run.output[-3000:]
    assert run.failed_ids == {"RATE-04"}, run.output[-3000:]
