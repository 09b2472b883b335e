"""Wall time of the conformance suite against the reference app: in-process vs served.

Runs each mode ``--rounds`` times (alternating, so load on the shared machine hits both
alike) and prints the medians and their ratio. The modes run as the project's tests run
them, forked from one warm process (``tests/suite_server.py``); "in-process, fresh
interpreter" is what a team waits for: ``python -m pytest`` from nothing, every library
imported. Bytecode caches are written and read, as Python does by default (the first
round warms them). Usage::

    python bench/suite_modes.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support import (
    REPO_ROOT,
    SUITE_TIMEOUT,
    reference_env,
    run_suite,
    suite_command,
)

IN_PROCESS = "in-process (--target-app)"
FRESH = "in-process, fresh interpreter"
MODES = {
    IN_PROCESS: ("--target-app=reference_app:app",),
    "served, thread (--target-serve)": ("--target-serve=reference_app:app",),
    "served, subprocess": ("--target-serve=reference_app:app", "--target-serve-in=subprocess"),
    FRESH: ("--target-app=reference_app:app",),
}


def fresh_run(tmp_path: Path, args: tuple[str, ...], env: dict[str, str]) -> tuple[int, str]:
    """``python -m pytest`` in a new interpreter, every installed pytest plugin loaded as a
    team's run loads them: its exit code and the end of its output."""
    command = suite_command(tmp_path, *args, env=env, left_out=())
    run = subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=SUITE_TIMEOUT,
        check=False,
    )  # fmt: skip
    return run.returncode, (run.stdout + run.stderr)[-2000:]


def machine_speed() -> str:
    """This machine's pace, for comparing runs on different machines (the same code took
    6.7 s in-process on one two-core machine and 11.9 s on another): a pure-Python loop and
    one Argon2id hash at the reference app's default cost, each the fastest of 3."""
    from pwdlib.hashers.argon2 import Argon2Hasher

    hasher = Argon2Hasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

    def fastest(work: Callable[[], object]) -> float:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        return min(times)

    loop = fastest(lambda: sum(index * index for index in range(1_000_000)))
    hashing = fastest(lambda: hasher.hash("a password"))
    return (
        f"machine: 1M-step Python loop {loop * 1000:.0f} ms, "
        f"one Argon2id hash {hashing * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    timings: dict[str, list[float]] = {mode: [] for mode in MODES}
    for _ in range(rounds):
        for mode, args in MODES.items():
            with tempfile.TemporaryDirectory() as tmp:
                tmp_path = Path(tmp)
                env = reference_env(tmp_path, shipped_hash=True)
                started = time.perf_counter()
                if mode == FRESH:
                    returncode, output = fresh_run(tmp_path, args, env)
                else:
                    run = run_suite(tmp_path, *args, env=env)
                    returncode, output = run.returncode, run.output[-2000:]
                timings[mode].append(time.perf_counter() - started)
                if returncode != 0:
                    sys.exit(f"{mode}: the suite failed:\n{output}")
    base = statistics.median(timings[IN_PROCESS])
    print(machine_speed())
    print(f"suite wall time, median of {rounds} (each run includes pytest start-up)")
    for mode, values in timings.items():
        median = statistics.median(values)
        print(f"  {mode:<34} {median:6.2f} s   ratio to in-process {median / base:5.2f}")


if __name__ == "__main__":
    main()
