"""Real-world-shaped targets of our own get the verdicts their shapes deserve (issues 7, 13).

``tests/targets/fastapi_v1.py`` (FastAPI under /api/v1, FastAPI's error bodies, 400 for
bad credentials, skip/limit as {data, count}, JSON Lines) and ``starlette_plain.py`` (no
FastAPI: errors-list bodies, 400 validation, page/size, 403 for a bad token without a
challenge, plain-text health) each pass in-process and served; what their profiles
declare against the RFCs comes out as strict notes, and what they lack is skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import SuiteRun, reference_env, run_suite

TARGETS = Path(__file__).parent / "targets"
MODES = ("--target-app", "--target-serve")
FUZZ = ("--fuzz-examples=1",)  # the fuzz area runs too, on a small budget


def _run(tmp_path: Path, name: str, mode: str) -> SuiteRun:
    profile = (TARGETS / f"{name}.toml").read_text(encoding="utf-8")
    env = reference_env(tmp_path)  # the targets need no secrets; this keeps CONFORMANCE_* out
    return run_suite(
        tmp_path, f"{mode}=tests.targets.{name}:app", profile=profile, env=env, extra_args=FUZZ
    )


def _notes(run: SuiteRun) -> dict[str, list[str]]:
    notes: dict[str, list[str]] = {}
    for entry in run.report.get("checks", []):
        if entry["outcome"] == "strict_note":
            notes.setdefault(entry["id"], []).append(entry["nodeid"])
    return notes


def _skip_reasons(run: SuiteRun) -> list[str]:
    return [entry["message"] for entry in run.report.get("checks", [])
            if entry["outcome"] == "skipped"]  # fmt: skip


def _assert_passes(run: SuiteRun, minimum_passed: int) -> None:
    assert run.report, f"the suite wrote no report:\n{run.output[-3000:]}"
    assert run.returncode == 0 and not run.failed_ids, run.output[-4000:]
    assert run.outcomes().get("passed", 0) >= minimum_passed, run.outcomes()
    assert all(_skip_reasons(run)), "every skipped check names its reason"


@pytest.mark.parametrize("mode", MODES)
def test_fastapi_target_passes(mode: str, tmp_path: Path) -> None:
    run = _run(tmp_path, "fastapi_v1", mode)
    _assert_passes(run, minimum_passed=80)
    notes = _notes(run)
    assert "AUTH-02" in notes, "400 for bad credentials is a strict note (RFC 6749 §5.2)"
    assert "AUTH-07" not in notes, "a 401 with a parameterised Bearer challenge is RFC 6750's"
    reasons = " ".join(_skip_reasons(run))
    assert "'rbac'" in reasons and "'websockets'" in reasons


@pytest.mark.parametrize("mode", MODES)
def test_starlette_target_passes(mode: str, tmp_path: Path) -> None:
    run = _run(tmp_path, "starlette_plain", mode)
    _assert_passes(run, minimum_passed=60)
    notes = _notes(run)
    invalid_token = [node for node in notes.get("AUTH-07", []) if "rfc6750" in node]
    assert invalid_token, f"the 403 for a bad token is a strict note: {notes}"
    assert "security_headers" in " ".join(_skip_reasons(run))


def test_strict_level_fails_on_the_declared_rfc_deviations(tmp_path: Path) -> None:
    profile = (TARGETS / "starlette_plain.toml").read_text(encoding="utf-8")
    run = run_suite(
        tmp_path,
        "--target-app=tests.targets.starlette_plain:app",
        profile=profile,
        env=reference_env(tmp_path),
        extra_args=("--conformance-strict", "-m", "auth"),
    )
    assert run.returncode == 1, run.output[-3000:]
    assert "AUTH-07" in run.failed_ids


def test_a_profile_that_contradicts_the_target_fails(tmp_path: Path) -> None:
    """The profile is checked as declared: say 401 where the app answers 403, and it fails."""
    profile = (TARGETS / "starlette_plain.toml").read_text(encoding="utf-8")
    profile = profile.replace("invalid_token_status = 403", "invalid_token_status = 401")
    run = run_suite(
        tmp_path,
        "--target-app=tests.targets.starlette_plain:app",
        profile=profile,
        env=reference_env(tmp_path),
        extra_args=("-m", "auth"),
    )
    assert run.returncode == 1 and "AUTH-07" in run.failed_ids, run.output[-3000:]


def test_login_with_a_cookie(tmp_path: Path) -> None:
    """A login answering 204 with the token in a cookie, declared in [auth]."""
    profile = (TARGETS / "fastapi_v1.toml").read_text(encoding="utf-8")
    profile = profile.replace(
        "[auth]\n", '[auth]\nlogin_status = 204\ntoken_cookie = "access_token"\n'
    )
    run = run_suite(
        tmp_path,
        "--target-app=tests.targets.fastapi_v1:cookie_app",
        profile=profile,
        env=reference_env(tmp_path),
        extra_args=("-m", "auth"),
    )
    assert run.returncode == 0 and not run.failed_ids, run.output[-4000:]
    assert run.outcomes().get("passed", 0) >= 25


def test_an_api_of_its_own_fails_only_its_bug_and_the_tutorials_checks_are_not_applicable(
    tmp_path: Path,
) -> None:
    """``uuid_accounts``: the template's shapes (UUID ids, login by e-mail, ``sub`` = the
    user's id) under ``contract = "none"``, with the template's real bug: a signed token
    whose ``sub`` is not a UUID answers 500."""
    run = _run(tmp_path, "uuid_accounts", "--target-app")
    assert run.returncode == 1, run.output[-3000:]
    failed = {
        entry["nodeid"].rsplit("::", 1)[1]
        for entry in run.report["checks"]
        if entry["outcome"] == "failed" and entry["id"] == "AUTH-07"
    }
    assert failed == {
        "test_token_attack[AUTH-07-no_sub]",
        "test_token_attack[AUTH-07-unknown_sub]",
    }, run.output[-3000:]
    auth09 = {e["nodeid"].rsplit("[", 1)[1] for e in run.report["checks"]
              if e["outcome"] == "failed" and e["id"] == "AUTH-09"}  # fmt: skip
    assert len(auth09) == 5, auth09  # the no-sub 500 on each secured operation
    assert run.failed_ids == {"AUTH-07", "AUTH-09", "OAS-06"}, run.output[-3000:]
    summary = run.report["summary"]
    for area in ("DATA", "PAGE", "RBAC", "MW", "STREAM", "WS", "VAL", "LIFE"):
        assert set(summary[area]) == {"not_applicable"}, (area, summary[area])
    assert summary["AUTH"]["passed"] >= 25  # login, sub = id, me by e-mail, the other attacks
    reasons = [e["message"] for e in run.report["checks"]
               if e["outcome"] == "not_applicable" and e["id"] != "AUTH-10"]  # fmt: skip
    assert all('contract = "none"' in reason for reason in reasons), reasons[:3]


def test_oas06_on_its_own_reaches_an_item_behind_a_listing_and_a_login(tmp_path: Path) -> None:
    """An item answer that contradicts its schema is OAS-06's even when OAS-06 runs alone."""
    profile = (TARGETS / "wrong_item_schema.toml").read_text(encoding="utf-8")
    run = run_suite(
        tmp_path, "--target-app=tests.targets.wrong_item_schema:app", profile=profile,
        env=reference_env(tmp_path), extra_args=("-k", "OAS-06"),
    )  # fmt: skip
    assert run.failed_ids == {"OAS-06"}, run.output[-3000:]
    assert "/things/1" in run.output, run.output[-3000:]
