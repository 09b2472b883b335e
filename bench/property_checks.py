"""Wall time of the whole suite, in-process, on the reference app and on a 40-operation
API of our own (``bench/forty_operations.py``), with how many property-check cases (SPEC.md's
ANY section) each run judged. Issue 14's goal: under a minute on 40 operations.

Usage::

    python bench/property_checks.py [--rounds 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.catalogue import property_ids
from tests.support import reference_env, run_suite

BENCH = Path(__file__).resolve().parent
TARGETS = {
    "reference app": (("--target-app=reference_app:app",), None),
    "40 operations": (
        ("--target-app=bench.forty_operations:app",),
        (BENCH / "forty_operations.toml").read_text(encoding="utf-8"),
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    rounds = parser.parse_args().rounds
    for name, (args, profile) in TARGETS.items():
        timings: list[float] = []
        for _ in range(rounds):
            with tempfile.TemporaryDirectory() as tmp:
                tmp_path = Path(tmp)
                started = time.perf_counter()
                env = reference_env(tmp_path, shipped_hash=True)
                run = run_suite(
                    tmp_path, *args, profile=profile, env=env, jwt_secret=profile is None,
                )  # fmt: skip
                timings.append(time.perf_counter() - started)
        cases = [
            entry for entry in run.report.get("checks", [])
            if entry.get("id") in property_ids() and entry.get("outcome") in ("passed", "failed")
        ]  # fmt: skip
        outcomes = ", ".join(f"{count} {outcome}" for outcome, count in run.outcomes().items())
        print(f"{name}: {statistics.median(timings):6.2f} s wall (median of {rounds}), "
              f"exit {run.returncode}; {len(cases)} property cases judged; {outcomes}")  # fmt: skip


if __name__ == "__main__":
    main()
