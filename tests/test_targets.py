"""Real-world-shaped targets of our own get the verdicts their shapes deserve (issues 7, 13).

``tests/targets/fastapi_v1.py`` (FastAPI under /api/v1, FastAPI's error bodies, 400 for
bad credentials, skip/limit as {data, count}, JSON Lines) and ``starlette_plain.py`` (no
FastAPI: errors-list bodies, 400 validation, page/size, 403 for a bad token without a
challenge, plain-text health) each pass in-process and served; what their profiles
declare against the RFCs comes out as strict notes, and what they lack is skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.catalogue import property_ids
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
    # the 500 is undocumented (OAS-06) and plain text among JSON {"detail"} errors (ERR-07)
    assert run.failed_ids == {"AUTH-07", "AUTH-09", "OAS-06", "ERR-07"}, run.output[-3000:]
    envelopes = [e for e in run.report["checks"] if e["id"] == "ERR-07"]
    assert envelopes and {e["details"]["status"] for e in envelopes} == {500}, envelopes
    summary = run.report["summary"]
    # its notes, owned by their creator: two plain users cannot reach each other's (RBAC-08),
    # a create carrying id and owner_id takes neither (VAL-06; it has no update)
    owned = {"RBAC-08", "VAL-06"}
    passed = {entry["id"] for entry in run.report["checks"] if entry["outcome"] == "passed"}
    assert owned <= passed, run.output[-3000:]
    contract = _contract_entries(run)
    for area in ("DATA", "PAGE", "RBAC", "MW", "STREAM", "WS", "VAL", "LIFE"):
        outcomes = {entry["outcome"] for entry in contract if entry["area"] == area}
        assert outcomes <= {"not_applicable"}, (area, summary[area])
    assert summary["AUTH"]["passed"] >= 25  # login, sub = id, me by e-mail, the other attacks
    reasons = [e["message"] for e in contract if e["outcome"] == "not_applicable"]
    assert all('contract = "none"' in reason for reason in reasons), reasons[:3]
    # its notes collection (UUID ids, {data, count} pages, no update) keeps the properties
    assert _outcomes_of(run, "PAGE-07") == {"passed"}, run.output[-3000:]
    assert _outcomes_of(run, "DATA-09") == {"passed"}, run.output[-3000:]


def _contract_entries(run: SuiteRun) -> list[dict[str, Any]]:
    """The report's contract checks: not SPEC.md's ANY section, which judges what the
    document declares, nor the run-wide findings items (``conformance/findings::…``)."""
    return [
        entry for entry in run.report["checks"]
        if entry["id"] not in property_ids() and "findings::" not in entry["nodeid"]
    ]  # fmt: skip


def _outcomes_of(run: SuiteRun, check_id: str) -> set[str]:
    return {entry["outcome"] for entry in run.report["checks"] if entry["id"] == check_id}


def test_negative_skip_or_limit_answering_500_is_page07s_alone(tmp_path: Path) -> None:
    """``skip_limit_500``: full-stack-fastapi-template's items (secured, ``skip``/``limit``
    without bounds, ``{data, count}``) with its 500 on a negative ``skip`` or ``limit``,
    under ``contract = "none"``: PAGE-07's parameter probes find it and nothing else fails;
    the tutorial's checks are not applicable, the walk and DATA-09's round trip pass."""
    run = _run(tmp_path, "skip_limit_500", "--target-app")
    assert run.returncode == 1, run.output[-3000:]
    assert run.failed_ids == {"PAGE-07"}, run.output[-3000:]
    failed = {entry["nodeid"].rsplit("::", 1)[1] for entry in run.report["checks"]
              if entry["outcome"] == "failed"}  # fmt: skip
    assert failed == {"test_list_parameters_out_of_range[PAGE-07-GET /api/v1/items/]"}, failed
    assert "skip=-1 → 500" in run.output and "limit=-1 → 500" in run.output
    walk = [entry for entry in run.report["checks"] if "test_list_walk" in entry["nodeid"]]
    assert [entry["outcome"] for entry in walk] == ["passed"], walk
    assert _outcomes_of(run, "DATA-09") == {"passed"}, run.output[-3000:]
    contract = _contract_entries(run)
    for area in ("DATA", "PAGE", "RBAC", "MW", "STREAM", "WS", "VAL", "LIFE", "RATE", "VER"):
        outcomes = {entry["outcome"] for entry in contract if entry["area"] == area}
        assert outcomes == {"not_applicable"}, (area, outcomes)


def test_oas06_on_its_own_reaches_an_item_behind_a_listing_and_a_login(tmp_path: Path) -> None:
    """An item answer that contradicts its schema is OAS-06's even when OAS-06 runs alone."""
    profile = (TARGETS / "wrong_item_schema.toml").read_text(encoding="utf-8")
    run = run_suite(
        tmp_path, "--target-app=tests.targets.wrong_item_schema:app", profile=profile,
        env=reference_env(tmp_path), extra_args=("-k", "OAS-06"),
    )  # fmt: skip
    assert run.failed_ids == {"OAS-06"}, run.output[-3000:]
    assert "/things/1" in run.output, run.output[-3000:]


def _failed_nodes(run: SuiteRun) -> set[str]:
    return {
        entry["nodeid"].rsplit("::", 1)[1]
        for entry in run.report["checks"]
        if entry["outcome"] == "failed"
    }


def _reasons(run: SuiteRun, outcome: str = "not_applicable") -> list[str]:
    """Of the contract checks: a property check (SPEC.md's ANY section) names its own."""
    return [
        e["message"]
        for e in run.report["checks"]
        if e["outcome"] == outcome and e["id"] not in property_ids()
    ]


def _outcomes(run: SuiteRun, area: str) -> set[str]:
    """The outcomes of an area's contract checks (property checks judge what is declared)."""
    return {
        e["outcome"]
        for e in run.report["checks"]
        if e["id"].startswith(area + "-") and e["id"] not in property_ids()
    }


TUTORIAL_ONLY = ("DATA", "PAGE", "RBAC", "MW", "STREAM", "WS", "VAL", "RATE", "CACHE", "VER")


def test_a_json_login_with_a_token_scheme_fails_only_its_user_enumeration(
    tmp_path: Path,
) -> None:
    """``json_login_token``: a RealWorld (Conduit) API — JSON login, ``Authorization: Token``,
    ``{"errors": {"body": [...]}}`` — whose login answers unknown e-mails without a hash."""
    run = _run(tmp_path, "json_login_token", "--target-app")
    assert run.returncode == 1, run.output[-3000:]
    assert run.failed_ids == {"AUTH-08"}, run.output[-3000:]
    assert _failed_nodes(run) == {"test_unknown_user_timing[AUTH-08]"}
    summary = run.report["summary"]
    for area in TUTORIAL_ONLY:
        outcomes = _outcomes(run, area)
        assert outcomes == {"not_applicable"}, (area, summary[area])
    # logged in by JSON, sent as Token, every forged token refused, the me path answered
    assert summary["AUTH"]["passed"] >= 20, summary["AUTH"]
    assert summary["FUZZ"].get("failed", 0) == 0, summary["FUZZ"]
    reasons = _reasons(run)
    assert any("JSON login" in reason for reason in reasons), reasons
    assert all('contract = "none"' in r or "JSON login" in r for r in reasons), reasons[:3]


def test_an_app_without_items_is_judged_by_its_login_and_me_from_the_document(
    tmp_path: Path,
) -> None:
    """``no_items``: a login, a me path and a health check; the profile maps neither the
    login nor the me path (the document declares both). Only its accepted token without
    ``exp`` fails: AUTH-07's attack on the me path, and AUTH-09's on each secured operation."""
    run = _run(tmp_path, "no_items", "--target-app")
    assert run.returncode == 1, run.output[-3000:]
    assert run.failed_ids == {"AUTH-07", "AUTH-09"}, run.output[-3000:]
    assert _failed_nodes(run) == {
        "test_token_attack[AUTH-07-no_exp]",
        "test_secured_operation_refuses[AUTH-09-GET /users/me/]",
    }
    summary = run.report["summary"]
    for area in TUTORIAL_ONLY:
        outcomes = _outcomes(run, area)
        assert outcomes == {"not_applicable"}, (area, summary[area])
    assert summary["AUTH"]["passed"] >= 25, summary["AUTH"]  # the document's /token and /me
    life = {e["nodeid"]: e["outcome"] for e in run.report["checks"] if e["area"] == "LIFE"}
    # /health, the one path the profile maps, and the run-wide secret search (LIFE-02)
    assert {node for node, outcome in life.items() if outcome == "passed"} == {
        "conformance/test_life.py::test_health[LIFE-04]",
        "conformance/findings::LIFE-02",
    }, life
    reasons = _reasons(run)
    assert all('contract = "none"' in reason for reason in reasons), reasons[:3]


def test_a_stream_item_off_its_declared_schema_is_stream06s(tmp_path: Path) -> None:
    """``jsonl_items``: FastAPI's JSON Lines and SSE tutorials' shapes, one SSE event's data
    off the item schema. STREAM-06 fails that stream alone; the tutorial's checks have
    nothing to judge. OAS-01 passes although FastAPI writes ``itemSchema`` into a 3.1
    document; FUZZ-02 is left out (schemathesis checks SSE items too)."""
    profile = (TARGETS / "jsonl_items.toml").read_text(encoding="utf-8")
    run = run_suite(
        tmp_path, "--target-app=tests.targets.jsonl_items:app", profile=profile,
        env=reference_env(tmp_path), extra_args=("--fuzz-examples=0",),
    )  # fmt: skip
    assert run.failed_ids == {"STREAM-06"}, run.output[-3000:]
    outcomes = {
        entry["nodeid"].rsplit("[", 1)[1]: entry["outcome"]
        for entry in run.report["checks"]
        if entry["id"] == "STREAM-06"
    }
    assert outcomes == {
        "STREAM-06-GET /items/stream]": "passed",
        "STREAM-06-GET /items/stream/sse]": "failed",
        "STREAM-06-GET /items/stream/live]": "passed",
        "STREAM-06-GET /items/stream/changes]": "not_applicable",
    }, outcomes
    summary = run.report["summary"]
    for area in ("AUTH", "DATA", "PAGE", "RBAC", "VAL", "WS"):  # LIFE-02 judges the run
        assert set(summary[area]) == {"not_applicable"}, (area, summary[area])


@pytest.mark.parametrize("mode", ["--target-app", "--target-serve"])
def test_quiet_feeds_are_judged_by_what_they_sent(tmp_path: Path, mode: str) -> None:
    """``jsonl_items``'s feeds go quiet for longer than a read waits (its profile's stream
    timeout). The live feed sent an item first: open and incremental, not a hanging target
    (the reading stops once that shows: in-process by the transport's deadline wait, over a
    socket by SocketReader's).
    The changes feed sent nothing: not applicable, with the reason."""
    profile = (TARGETS / "jsonl_items.toml").read_text(encoding="utf-8")
    run = run_suite(
        tmp_path, f"{mode}=tests.targets.jsonl_items:app", profile=profile,
        env=reference_env(tmp_path),
        extra_args=("--fuzz-examples=0", "-k", "STREAM-06 and (live or changes)"),
    )  # fmt: skip
    outcomes = {entry["nodeid"].rsplit("/", 1)[1]: entry for entry in run.report["checks"]}
    assert outcomes["live]"]["outcome"] == "passed", run.output[-3000:]
    changes = outcomes["changes]"]
    assert changes["outcome"] == "not_applicable", run.output[-3000:]
    assert "sent nothing within 1 s" in str(changes.get("message")), changes


@pytest.mark.parametrize("mode", ["--target-app", "--target-serve"])
def test_the_fuzz_judges_live_feeds_by_their_start(tmp_path: Path, mode: str) -> None:
    """``jsonl_items``'s feeds stay open for a minute, quiet. The fuzz reads each streamed
    answer for a moment (it used to wait until the read timed out and stop the run, every
    FUZZ check failing with "the target stopped answering"), up to its last whole event:
    FUZZ-02 finds the one event off the item schema, and nothing else fails."""
    profile = (TARGETS / "jsonl_items.toml").read_text(encoding="utf-8")
    run = run_suite(
        tmp_path, f"{mode}=tests.targets.jsonl_items:app", profile=profile,
        env=reference_env(tmp_path), extra_args=(*FUZZ, "-k", "FUZZ"),
    )  # fmt: skip
    assert "stopped answering" not in run.output, run.output[-3000:]
    assert run.failed_ids == {"FUZZ-02"}, run.output[-3000:]
    [fuzz02] = [entry for entry in run.report["checks"] if entry["id"] == "FUZZ-02"]
    message = str(fuzz02.get("message"))
    assert "GET /items/stream/sse" in message and "32.99 USD" in message, message
    assert "/items/stream/live" not in message and "/items/stream/changes" not in message


def _outcome_of_node(run: SuiteRun, node: str) -> str:
    found = [e["outcome"] for e in run.report["checks"] if e["nodeid"].endswith(f"::{node}")]
    assert len(found) == 1, (node, found)
    return found[0]


def _run_with(tmp_path: Path, name: str, profile_name: str) -> SuiteRun:
    profile = (TARGETS / f"{profile_name}.toml").read_text(encoding="utf-8")
    return run_suite(
        tmp_path,
        f"--target-app=tests.targets.{name}:app",
        profile=profile,
        env=reference_env(tmp_path),
        extra_args=FUZZ,
    )


def test_rs256_tokens_and_a_published_key_pass_and_key_confusion_is_judged(
    tmp_path: Path,
) -> None:
    """``rs256_keys``: RS256 tokens, the public key published through the document's
    openIdConnect scheme. The profile names no algorithm and no secret: AUTH-04 takes RS256
    (the tutorial's HS256 is no promise of this API), AUTH-10 finds the key on its own and
    its key confusion runs and passes; the login form's fuzzing sends no empty or null form
    values (FastAPI reads them as absent)."""
    run = _run_with(tmp_path, "rs256_keys", "rs256_keys")
    assert run.returncode == 0 and not run.failed_ids, run.output[-4000:]
    assert _outcome_of_node(run, "test_token_is_a_jwt[AUTH-04]") == "passed"
    assert _outcome_of_node(run, "test_jwt_attack[AUTH-10-key_confusion]") == "passed"
    assert "FUZZ-04" not in run.failed_ids


def test_hs256_keyed_with_the_published_rsa_key_is_auth10s_key_confusion(tmp_path: Path) -> None:
    """``rs256_key_confusion``: the same API verifying an HS256 token with its public key's
    PEM as the HMAC secret; only AUTH-10's key confusion fails."""
    run = _run_with(tmp_path, "rs256_key_confusion", "rs256_keys")
    assert run.returncode == 1, run.output[-3000:]
    assert run.failed_ids == {"AUTH-10"}, run.output[-3000:]
    assert _failed_nodes(run) == {"test_jwt_attack[AUTH-10-key_confusion]"}


@pytest.mark.parametrize(
    ("name", "failed_nodes", "failed_ids"),
    [
        ("key_and_basic", set(), set()),
        (
            "key_and_basic_any_key",
            {"test_secured_operation_refuses[AUTH-09-GET /things/{thing_id}]"},
            {"AUTH-09"},
        ),
        (
            "key_and_basic_bearer_challenge",
            {
                "test_secured_operation_refuses[AUTH-09-GET /me]",
                "test_our_assertions_hold[FUZZ-03]",
            },
            {"AUTH-09", "FUZZ-03"},
        ),
    ],
)
def test_api_key_and_basic_operations_are_judged_by_their_own_schemes(
    name: str, failed_nodes: set[str], failed_ids: set[str], tmp_path: Path
) -> None:
    """``key_and_basic``: no tokens at all. AUTH-09 sends nothing, made-up Basic credentials
    and a made-up key, and judges each refusal by the declared scheme: a 401 with a Basic
    challenge for Basic, a 401 or 403 for a key (no challenge scheme exists for keys); the
    fuzz area's challenge check does the same. A made-up key let through, and a Basic
    refusal challenging with Bearer, are each AUTH-09's (and the latter FUZZ-03's)."""
    run = _run_with(tmp_path, name, "key_and_basic")
    assert run.failed_ids == failed_ids, run.output[-3000:]
    assert _failed_nodes(run) == failed_nodes
    assert run.returncode == (1 if failed_ids else 0), run.output[-3000:]
    refusals = [e for e in run.report["checks"] if e["id"] == "AUTH-09"]
    assert len(refusals) == 2 and all(e["outcome"] in ("passed", "failed") for e in refusals)


def test_a_key_every_caller_sends_goes_in_the_profiles_headers(tmp_path: Path) -> None:
    """``gateway_key``: each task operation requires an ``X-API-Key`` header the document
    declares as a parameter, not a scheme. With it in ``[headers]``, the suite's every request
    carries it: the checks needing an accepted request (AUTH-07's forgeries, AUTH-10's
    attacks) run on the tasks and pass, and AUTH-09 still judges the token refusals."""
    run = _run_with(tmp_path, "gateway_key", "gateway_key")
    assert run.returncode == 0 and not run.failed_ids, run.output[-4000:]
    attacks = [e for e in run.report["checks"] if e["id"] == "AUTH-10"]
    assert any(e["outcome"] == "passed" for e in attacks), attacks
    refusals = [e for e in run.report["checks"] if e["id"] == "AUTH-09"]
    assert len(refusals) == 5 and all(e["outcome"] == "passed" for e in refusals), refusals


def test_a_declared_key_in_the_profiles_headers_is_not_taken_for_missing_credentials(
    tmp_path: Path,
) -> None:
    """``key_and_basic`` with its declared API key put in ``[headers]`` (where a scheme's
    credentials do not belong): AUTH-09 cannot send that operation a request without the
    key, so it leaves that request out and says so; the made-up key it sends in the same
    header is still refused, and judged."""
    from tests.targets.key_and_basic import API_KEY

    profile = (TARGETS / "key_and_basic.toml").read_text(encoding="utf-8")
    profile += f'\n[headers]\n"x-api-key" = "{API_KEY}"\n'
    run = run_suite(
        tmp_path,
        "--target-app=tests.targets.key_and_basic:app",
        profile=profile,
        env=reference_env(tmp_path),
        extra_args=FUZZ,
    )
    assert run.returncode == 0 and not run.failed_ids, run.output[-4000:]
    [keyed] = [e for e in run.report["checks"] if e["nodeid"].endswith("GET /things/{thing_id}]")
               and e["id"] == "AUTH-09"]  # fmt: skip
    assert keyed["outcome"] == "passed"
    left_out = " ".join(keyed.get("details", {}).get("left_out", []))
    assert "no credentials: the profile's [headers] send the API key 'X-API-Key'" in left_out
