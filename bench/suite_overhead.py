"""Suite overhead: the suite's wall time against the same HTTP exchanges replayed bare.

Serves the reference app (uvicorn, a subprocess), runs the whole suite against it with
``--target-url`` while ``bench/exchange_recorder.py`` records every HTTP exchange, then
serves a fresh copy (same secrets, fresh database) and replays the exchanges in their
order with one plain ``httpx.Client``, reading as many response bytes as the checks read.
Prints both wall times and their ratio. WebSocket sessions are not HTTP exchanges and are
not replayed (the ratio is the more pessimistic for it). Usage::

    python bench/suite_overhead.py [--rounds 1]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support import reference_env, run_suite, served_reference

BENCH = Path(__file__).resolve().parent
REPLAY_TIMEOUT = 10.0


def session_seconds(output: str) -> float:
    """pytest's own "in 6.54s" at the end of the run: the checks, without start-up."""
    found = re.findall(r" in ([0-9.]+)s", output)
    return float(found[-1]) if found else float("nan")


def record(tmp_path: Path, env: dict[str, str]) -> tuple[float, float, list[dict[str, Any]]]:
    """The suite's wall time (pytest start-up included), its session time, its exchanges."""
    exchanges_path = tmp_path / "exchanges.jsonl"
    env = {
        **env,
        "BENCH_EXCHANGES_PATH": str(exchanges_path),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH), env.get("PYTHONPATH")])),
    }
    with served_reference(env, quiet=True) as url:
        started = time.perf_counter()
        run = run_suite(
            tmp_path, f"--target-url={url}", env=env, extra_args=("-p", "exchange_recorder")
        )
        wall = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"the suite failed:\n{run.output[-3000:]}")
    lines = exchanges_path.read_text(encoding="utf-8").splitlines()
    return wall, session_seconds(run.output), [json.loads(line) for line in lines]


def replay(url: str, exchanges: list[dict[str, Any]]) -> float:
    """Wall time of sending every exchange with one plain client, as much read as before."""
    base = httpx.URL(url)
    started = time.perf_counter()
    with httpx.Client(timeout=REPLAY_TIMEOUT) as client:
        for exchange in exchanges:
            recorded = urlsplit(exchange["url"])
            target = base.copy_with(path=recorded.path, query=recorded.query.encode() or None)
            headers = [(k, v) for k, v in exchange["headers"] if k.lower() != "host"]
            request = client.build_request(
                exchange["method"],
                target,
                headers=headers,
                content=base64.b64decode(exchange["body"]),
            )
            response = client.send(request, stream=True)
            try:
                read = 0
                for chunk in response.iter_raw():
                    read += len(chunk)
                    if read >= exchange["read"]:
                        break
            finally:
                response.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    rounds = parser.parse_args().rounds
    suites: list[float] = []
    sessions: list[float] = []
    replays: list[float] = []
    count = 0
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            env = reference_env(tmp_path, shipped_hash=True)
            (tmp_path / "suite").mkdir()
            wall, session, exchanges = record(tmp_path / "suite", env)
            sessions.append(session)
            count = len(exchanges)
            replay_env = {**env, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'replay.db'}"}
            with served_reference(replay_env, quiet=True) as url:
                replays.append(replay(url, exchanges))
            suites.append(wall)
    suite, bare = statistics.median(suites), statistics.median(replays)
    session = statistics.median(sessions)
    print(f"{count} HTTP exchanges, median of {rounds} round(s), against the served reference app")
    print(f"  suite (--target-url, pytest start-up included) {suite:6.2f} s")
    print(f"  suite's session (pytest's own time)            {session:6.2f} s")
    print(f"  bare replay (one plain httpx.Client)           {bare:6.2f} s")
    print(f"  suite over replay                              {suite / bare:6.2f}x")
    print(f"  session over replay                            {session / bare:6.2f}x")


if __name__ == "__main__":
    main()
