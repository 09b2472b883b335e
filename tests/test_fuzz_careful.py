"""The fuzz area is careful with a team's target (issue 15), over real HTTP by URL.

``tests/targets/fuzz_accounts.py`` is served by uvicorn in this process, so the test can
look at its rows after the suite (in a subprocess) has fuzzed it: the admin the suite logs
in with is as it was, what the run created is gone where the document can delete it, the
rest is named in the report, and the 500s it hit are reported under FUZZ-01 only, every
one of them in the JSON report, although uvicorn closes the connection after each.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn

from tests.support import SuiteRun, free_port, reference_env, run_suite
from tests.targets import fuzz_accounts

TARGETS = Path(__file__).parent / "targets"
START_TIMEOUT = 15.0


@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    """uvicorn on a free loopback port in a thread of this process; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"uvicorn did not start on port {port}")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(START_TIMEOUT)


def _fuzz(tmp_path: Path, name: str, app: Any, examples: int = 4) -> SuiteRun:
    profile = (TARGETS / f"{name}.toml").read_text(encoding="utf-8")
    with serve(app) as url:
        return run_suite(
            tmp_path, f"--target-url={url}", profile=profile, env=reference_env(tmp_path),
            extra_args=("-m", "fuzz", f"--fuzz-examples={examples}"), jwt_secret=False,
        )  # fmt: skip


def _checks(run: SuiteRun) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in run.report["checks"]}


def test_the_fuzz_run_leaves_accounts_and_data_as_they_were(tmp_path: Path) -> None:
    state = fuzz_accounts.STATE
    state.reset()
    run = _fuzz(tmp_path, "fuzz_accounts", fuzz_accounts.app)
    checks = _checks(run)
    assert set(checks) == {"FUZZ-01", "FUZZ-02", "FUZZ-03", "FUZZ-04", "FUZZ-05"}, run.output

    # the account the suite logs in with: untouched, neither through /me nor through its id
    assert state.users.get(1) == fuzz_accounts.ADMIN, run.output[-3000:]
    assert "mutating request(s) not sent" in run.output, run.output[-3000:]
    # what it created: deleted where the document can, named where it cannot
    assert set(state.users) == {1}, state.users
    assert state.items == {}, state.items
    assert state.notes, "the fuzz run created no note: the test proves nothing"
    left = checks["FUZZ-01"]["details"]["left_behind"]
    assert len(left) == len(state.notes), left
    assert all("/notes/" in line and "no DELETE" in line for line in left), left
    assert f"left {len(state.notes)}" in run.output

    # the 500s: reported, under FUZZ-01 only, each operation and cause once, none lost
    assert run.failed_ids == {"FUZZ-01"}, run.output[-4000:]
    for fuzz_id in ("FUZZ-02", "FUZZ-03", "FUZZ-04", "FUZZ-05"):
        assert checks[fuzz_id]["outcome"] in ("passed", "skipped"), checks[fuzz_id]
    findings = checks["FUZZ-01"]["details"]["findings"]
    assert [finding["operation"] for finding in findings] == ["GET /numbers/{n}"], findings
    assert findings[0]["repeats"] > 1, findings  # every crash counted, reported once
    assert "stopped answering" not in run.output


def _fuzz_in_process(tmp_path: Path, name: str, profile: str) -> SuiteRun:
    return run_suite(
        tmp_path, f"--target-app=tests.targets.{name}:app", profile=profile,
        env=reference_env(tmp_path), extra_args=("-m", "fuzz", "--fuzz-examples=4"),
        jwt_secret=False,
    )  # fmt: skip


def test_fuzz05_reads_a_location_back_with_the_credentials_the_read_needs(tmp_path: Path) -> None:
    """A public create names an admin-only read: read back as the profile's admin (issue 16).

    Before, the read went out with the create's credentials (none) and FUZZ-05 failed on
    the 401 of a correct target.
    """
    profile = (TARGETS / "fuzz_admin_reads.toml").read_text(encoding="utf-8")
    run = _fuzz_in_process(tmp_path, "fuzz_admin_reads", profile)
    fuzz05 = _checks(run)["FUZZ-05"]
    assert fuzz05["outcome"] == "passed", fuzz05["message"] + run.output[-3000:]
    assert "FUZZ-05" not in run.failed_ids


def test_fuzz05_skips_a_link_no_profile_user_may_read(tmp_path: Path) -> None:
    profile = (TARGETS / "fuzz_admin_reads.toml").read_text(encoding="utf-8")
    admin = '[users.admin]\nusername = "admin"\npassword = "admin-pw"\n'
    assert admin in profile
    without_admin = profile.replace(admin, "")
    run = _fuzz_in_process(tmp_path, "fuzz_admin_reads", without_admin)
    fuzz05 = _checks(run)["FUZZ-05"]
    assert fuzz05["outcome"] == "skipped", fuzz05
    assert "declares the scope(s) admin" in fuzz05["message"], fuzz05
    assert "[users.admin]" in fuzz05["message"], fuzz05
