"""Every mutant is caught, by exactly the check IDs it declares."""

from __future__ import annotations

import importlib.util
import pkgutil
from pathlib import Path

import pytest

from tests import mutants
from tests.support import run_suite

MUTANTS = sorted(
    info.name for info in pkgutil.iter_modules(mutants.__path__) if not info.name.startswith("_")
)


def _declared(name: str) -> tuple[frozenset[str], str | None]:
    """CAUGHT_BY and PROFILE, read without importing the module (it needs the app's secrets)."""
    spec = importlib.util.find_spec(f"tests.mutants.{name}")
    assert spec is not None and spec.origin is not None
    namespace: dict[str, object] = {}
    for line in Path(spec.origin).read_text().splitlines():
        if line.startswith(("CAUGHT_BY =", "PROFILE =")):
            exec(line, {"frozenset": frozenset}, namespace)
    caught_by = namespace.get("CAUGHT_BY")
    assert isinstance(caught_by, frozenset) and caught_by, f"{name} declares no CAUGHT_BY"
    profile = namespace.get("PROFILE")
    return caught_by, profile if isinstance(profile, str) else None


def _fuzz_args(caught_by: frozenset[str]) -> tuple[str, ...]:
    """The fuzz area runs only for mutants that claim a FUZZ ID.

    Fuzzing reaches everything, so it also catches most other mutants; proving each
    contract check exactly, and cheaply, needs the deterministic checks on their own.
    A FUZZ mutant runs the whole suite, fuzz included, and must be caught exactly there.
    """
    return () if any(id_.startswith("FUZZ-") for id_ in caught_by) else ("--fuzz-examples=0",)


@pytest.mark.parametrize("name", MUTANTS)
def test_mutant_is_caught_by_exactly_its_ids(name: str, tmp_path: Path) -> None:
    """Each mutant's whole suite runs in a fresh pytest forked from one warm process."""
    caught_by, profile = _declared(name)
    run = run_suite(
        tmp_path,
        f"--target-app=tests.mutants.{name}:app",
        profile=profile,
        extra_args=_fuzz_args(caught_by),
    )
    assert run.report, f"the suite wrote no report:\n{run.output[-3000:]}"
    assert run.returncode == 1, run.output[-3000:]
    assert run.failed_ids == caught_by, (
        f"{name}: expected failures in {sorted(caught_by)}, got {sorted(run.failed_ids)}\n"
        + run.output[-3000:]
    )
