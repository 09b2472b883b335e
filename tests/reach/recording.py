"""The reference run's reach, recorded once per test session (shared by xdist's workers),
and the ``reach_map`` fixture that hands it out (a plugin the conftest wires)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from tests.reach.recorder import OUT_VARIABLE
from tests.support import reference_env, run_suite

# exactly the options of a mutant's run, so the checks (and their node ids) are the same
SUITE_ARGS = ("--fuzz-examples=0",)
WHOLE_VARIABLE = "CONFORMANCE_WHOLE_MUTANTS"


@pytest.fixture(scope="session")
def reach_map(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """What each check reaches of the reference app; None (``CONFORMANCE_WHOLE_MUTANTS=1``):
    every mutant runs the whole suite."""
    if os.environ.get(WHOLE_VARIABLE) == "1":
        return None
    return recorded_reach(session_directory(tmp_path_factory.getbasetemp()))


def session_directory(basetemp: Path) -> Path:
    """A directory every worker of this test session shares (and no other session)."""
    return basetemp.parent if os.environ.get("PYTEST_XDIST_WORKER") else basetemp


def recorded_reach(directory: Path) -> Path:
    """``reach.json`` in ``directory``: recorded by the first worker to ask, read by the rest."""
    out = directory / "reach.json"
    with (directory / "reach.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not out.exists():
            run_directory = directory / "reach-run"
            run_directory.mkdir(exist_ok=True)
            written = run_directory / "reach.json"
            env = reference_env(run_directory, **{OUT_VARIABLE: str(written)})
            run = run_suite(
                run_directory,
                "--target-app=reference_app:app",
                env=env,
                extra_args=(*SUITE_ARGS, "-p", "tests.reach.recorder"),
            )
            if run.returncode != 0 or not written.exists():
                raise RuntimeError(f"recording the reference run failed:\n{run.output[-3000:]}")
            written.rename(out)
    return out
