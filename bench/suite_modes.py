"""Wall time of the conformance suite against the reference app: in-process vs served.

Runs each mode ``--rounds`` times (alternating, so load on the shared machine hits both
alike) and prints the medians and their ratio. Usage::

    python bench/suite_modes.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support import reference_env, run_suite

MODES = {
    "in-process (--target-app)": ("--target-app=reference_app:app",),
    "served, thread (--target-serve)": ("--target-serve=reference_app:app",),
    "served, subprocess": ("--target-serve=reference_app:app", "--target-serve-in=subprocess"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    timings: dict[str, list[float]] = {mode: [] for mode in MODES}
    for _ in range(rounds):
        for mode, args in MODES.items():
            with tempfile.TemporaryDirectory() as tmp:
                tmp_path = Path(tmp)
                started = time.perf_counter()
                run = run_suite(tmp_path, *args, env=reference_env(tmp_path))
                timings[mode].append(time.perf_counter() - started)
                if run.returncode != 0:
                    sys.exit(f"{mode}: the suite failed:\n{run.output[-2000:]}")
    base = statistics.median(timings["in-process (--target-app)"])
    print(f"suite wall time, median of {rounds} (each run includes pytest start-up)")
    for mode, values in timings.items():
        median = statistics.median(values)
        print(f"  {mode:<34} {median:6.2f} s   ratio to in-process {median / base:5.2f}")


if __name__ == "__main__":
    main()
