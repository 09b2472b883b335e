"""Every mutant is caught, by exactly the check IDs it declares."""

from __future__ import annotations

import importlib.util
import json
import pkgutil
from pathlib import Path
from typing import Any

import pytest

from tests import mutants
from tests.reach.recording import SUITE_ARGS, WHOLE_VARIABLE
from tests.reach.selector import selecting
from tests.support import reference_env, run_suite

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


def _fuzzed(caught_by: frozenset[str]) -> bool:
    """The fuzz area runs only for mutants that claim a FUZZ ID.

    Fuzzing reaches everything, so it also catches most other mutants; proving each
    contract check exactly, and cheaply, needs the deterministic checks on their own.
    A FUZZ mutant runs the whole suite, fuzz included, and must be caught exactly there.
    """
    return any(id_.startswith("FUZZ-") for id_ in caught_by)


@pytest.mark.parametrize("name", MUTANTS)
def test_mutant_is_caught_by_exactly_its_ids(
    name: str, tmp_path: Path, reach_map: Path | None
) -> None:
    """Each mutant's suite runs in a fresh pytest forked from one warm process: the whole
    suite, or (tests/reach) the checks that can reach what the mutant changed."""
    caught_by, profile = _declared(name)
    # AUTH-08 times logins against the shipped hash cost; no other check times the hash
    env = reference_env(tmp_path, shipped_hash="AUTH-08" in caught_by)
    extra_args: tuple[str, ...] = () if _fuzzed(caught_by) else SUITE_ARGS
    selection_path = tmp_path / "selection.json"
    # a profile or the fuzz area would run other checks than the recording saw
    if reach_map is not None and profile is None and not _fuzzed(caught_by):
        extra_args = (*extra_args, *selecting(env, reach_map, selection_path))
    run = run_suite(
        tmp_path,
        f"--target-app=tests.mutants.{name}:app",
        profile=profile,
        env=env,
        extra_args=extra_args,
    )
    scope = _scope(selection_path)
    assert run.report, f"the suite wrote no report ({scope}):\n{run.output[-3000:]}"
    assert run.returncode == 1, f"{scope}\n{run.output[-3000:]}"
    assert run.failed_ids == caught_by, (
        f"{name}: expected failures in {sorted(caught_by)}, got {sorted(run.failed_ids)} "
        f"({scope}; {WHOLE_VARIABLE}=1 runs the whole suite)\n"
        + _failures_of(run.report, run.failed_ids - caught_by)
        + run.output[-3000:]
    )


def _failures_of(report: dict[str, Any], ids: set[str]) -> str:
    """What each unexpected ID's failing checks said: the run's output keeps only its end."""
    said = [
        f"{entry['nodeid']}: {str(entry.get('failure') or entry.get('message'))[:1500]}\n"
        for entry in report.get("checks", [])
        if entry["outcome"] == "failed" and entry["id"] in ids
    ]
    return "".join(said)


def _scope(selection_path: Path) -> str:
    if not selection_path.exists():
        return "the whole suite ran"
    selection = json.loads(selection_path.read_text(encoding="utf-8"))
    if selection["whole"]:
        return "the whole suite ran: " + "; ".join(selection["whole"])
    return f"{selection['kept']} of {selection['of']} checks ran (tests/reach)"
