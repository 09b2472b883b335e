"""Scoping mutant runs (tests/reach): what it places, what it keeps, and that a leak shows."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.reach.changes import Changes
from tests.reach.recording import SUITE_ARGS
from tests.reach.selector import kept, selecting
from tests.support import REPO_ROOT, reference_env, run_suite

COMPARE = """
import json, sys
from tests.reach.changes import compare
changes = compare(sys.argv[1])
print(json.dumps({"functions": sorted(changes.functions), "paths": sorted(changes.paths),
                  "whole": changes.whole}))
"""


def _compared(module: str, tmp_path: Path) -> dict[str, Any]:
    """``compare`` in a fresh interpreter: importing a mutant patches the reference app."""
    done = subprocess.run(
        [sys.executable, "-c", COMPARE, module],
        cwd=REPO_ROOT,
        env=reference_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("mutant", "functions", "paths"),
    [
        ("auth07_expired_accepted", ["reference_app.security:decode_access_token"], []),
        (
            "page02_offset_pages_overlap",
            [
                "reference_app.routers.items:build_items_router.<locals>.create_item",
                "reference_app.routers.items:build_items_router.<locals>.list_items",
            ],
            ["/items"],
        ),
        ("data02_vague_not_found", ["reference_app.routers.items:_not_found"], []),
        # a module global rebound: placed on the functions that read it at run time
        ("cache02_ttl_zero", ["reference_app.routers.cache:_item_cache"], []),
        (
            "data07_wrong_external_url",
            [
                "reference_app.routers.external:external_data",
                "reference_app.routers.health:_external_api_ready",
            ],
            [],
        ),
    ],
)
def test_a_patched_function_or_route_is_placed(
    mutant: str, functions: list[str], paths: list[str], tmp_path: Path
) -> None:
    compared = _compared(f"tests.mutants.{mutant}", tmp_path)
    assert compared == {"functions": functions, "paths": paths, "whole": []}


@pytest.mark.parametrize(
    ("mutant", "reason"),
    [
        ("err02_status_named_codes", "reference_app.errors.ERROR_CODES was changed in place"),
        ("mw05_no_access_log", "the app at /: its middleware differs"),
        ("oas02_no_logo", "the document differs"),
        ("di03_overrides_ignored", "the app at /: its attributes differ"),
        ("auth04_long_lived_tokens", "the app at /: its settings differ"),
    ],
)
def test_what_cannot_be_placed_makes_the_run_whole(
    mutant: str, reason: str, tmp_path: Path
) -> None:
    assert reason in _compared(f"tests.mutants.{mutant}", tmp_path)["whole"]


REACH = {
    "global": {"functions": ["app:create"], "paths": ["/openapi.json"]},
    "checks": {
        "a": {"functions": ["app:decode", "app:list"], "paths": ["/items"]},
        "b": {"functions": ["app:list"], "paths": ["/items/7"]},
        "c": {"functions": ["app:other"], "paths": ["/other"]},
        "findings": {"functions": [], "paths": []},
    },
}


def test_kept_are_the_checks_meeting_a_changed_function_or_path() -> None:
    nodeids = ["a", "b", "c", "findings", "unseen"]
    assert kept(REACH, Changes(functions={"app:decode"}), nodeids) == {"a", "findings", "unseen"}
    by_path = Changes(paths={"/items/{item_id:int}"})
    assert kept(REACH, by_path, nodeids) == {"b", "findings", "unseen"}


def test_a_change_to_start_up_code_keeps_every_check() -> None:
    changes = Changes(functions={"app:create"})
    assert kept(REACH, changes, ["a", "c"]) == {"a", "c"}
    assert changes.whole == ["app:create also runs outside the checks (start-up)"]


def test_a_leaky_change_fails_the_same_checks_scoped_as_whole(
    tmp_path: Path, reach_map: Path | None
) -> None:
    """One change that two areas see: the scoped run keeps both and fails both."""
    if reach_map is None:
        pytest.skip("CONFORMANCE_WHOLE_MUTANTS=1: no run is scoped")
    target = "--target-app=tests.reach.leaky_mutant:app"
    (tmp_path / "whole").mkdir()
    whole = run_suite(tmp_path / "whole", target, extra_args=SUITE_ARGS)
    (tmp_path / "scoped").mkdir()
    env = reference_env(tmp_path / "scoped")
    selection_path = tmp_path / "selection.json"
    scoped = run_suite(
        tmp_path / "scoped",
        target,
        env=env,
        extra_args=(*SUITE_ARGS, *selecting(env, reach_map, selection_path)),
    )
    selection = json.loads(selection_path.read_text(encoding="utf-8"))
    assert not selection["whole"] and selection["kept"] < selection["of"], selection
    areas = {id_.split("-")[0] for id_ in whole.failed_ids}
    assert len(areas) >= 2, whole.output[-3000:]  # RBAC, and ERR/MW on their 403 situations
    assert scoped.failed_ids == whole.failed_ids, scoped.output[-3000:]


def test_every_check_that_signs_in_has_the_login_in_its_reach(reach_map: Path | None) -> None:
    """The run's shared logins are forgotten before each recorded check: a mutant breaking
    the login keeps every check that needs a token, not only the first to log in."""
    if reach_map is None:
        pytest.skip("CONFORMANCE_WHOLE_MUTANTS=1: nothing is recorded")
    reach = json.loads(reach_map.read_text(encoding="utf-8"))
    login = "reference_app.routers.auth:login"
    signed_in = [nodeid for nodeid, entry in reach["checks"].items() if login in entry["functions"]]
    assert len(signed_in) > 50, signed_in
    assert login not in reach["global"]["functions"]
