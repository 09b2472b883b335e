"""A pytest plugin for a mutant's suite run: keep the checks that can reach its changes.

Loaded with ``-p tests.reach.selector`` beside ``--target-app=<mutant module>:app``. Reads
the reference run's reach from ``MUTANT_REACH_MAP`` and writes what it kept, and why, to
``MUTANT_REACH_SELECTION``. Kept: every check, when the changes are not all placed or meet
the global reach; otherwise each check whose functions meet the changed functions or whose
requested paths match a changed route, every check the recording did not see (it reached
nothing of the app then) and every item with no reach of its own (the run-wide findings,
which judge the answers of the checks that do run).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.reach.changes import Changes, compare

MAP_VARIABLE = "MUTANT_REACH_MAP"
SELECTION_VARIABLE = "MUTANT_REACH_SELECTION"

changes_key = pytest.StashKey[Changes]()


def _target_module(config: pytest.Config) -> tuple[str, str]:
    for argument in config.invocation_params.args:
        if str(argument).startswith("--target-app="):
            module, _, attribute = str(argument).removeprefix("--target-app=").partition(":")
            return module, attribute or "app"
    raise pytest.UsageError("tests.reach.selector needs --target-app=<module>:<attribute>")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Compare before the suite imports (and starts) the target."""
    module, attribute = _target_module(session.config)
    session.config.stash[changes_key] = compare(module, attribute)


def kept(reach: dict[str, Any], changes: Changes, nodeids: list[str]) -> set[str]:
    """The node ids to run: see the module's docstring."""
    if changes.whole:
        return set(nodeids)
    global_functions = set(reach["global"]["functions"])
    met = sorted(changes.functions & global_functions)
    if met:
        changes.whole.append(f"{', '.join(met)} also runs outside the checks (start-up)")
        return set(nodeids)
    patterns = changes.path_patterns()

    def reaches(entry: dict[str, list[str]] | None) -> bool:
        if entry is None or not (entry["functions"] or entry["paths"]):
            return True  # unseen, or no reach of its own: kept
        return bool(changes.functions.intersection(entry["functions"])) or any(
            pattern.match(path) for pattern in patterns for path in entry["paths"]
        )

    keep = {nodeid for nodeid in nodeids if reaches(reach["checks"].get(nodeid))}
    return keep


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    changes = config.stash[changes_key]
    reach = json.loads(Path(os.environ[MAP_VARIABLE]).read_text(encoding="utf-8"))
    keep = kept(reach, changes, [item.nodeid for item in items])
    dropped = [item for item in items if item.nodeid not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item.nodeid in keep]
    selection = {
        "whole": changes.whole,
        "functions": sorted(changes.functions),
        "paths": sorted(changes.paths),
        "kept": len(items),
        "of": len(items) + len(dropped),
    }
    out = os.environ.get(SELECTION_VARIABLE)
    if out:
        Path(out).write_text(json.dumps(selection, indent=1), encoding="utf-8")


def selecting(env: dict[str, str], reach_map: Path, selection: Path) -> tuple[str, ...]:
    """Scope a ``run_suite`` run: entries for its ``env``; the arguments it returns."""
    env.update({MAP_VARIABLE: str(reach_map), SELECTION_VARIABLE: str(selection)})
    return ("-p", "tests.reach.selector")
