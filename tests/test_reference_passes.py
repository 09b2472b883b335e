"""The reference app passes the whole suite in all three target modes, as shipped (its own
password hash cost: the project's other suite runs hash at the floor)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support import reference_env, run_suite, served_reference


def _shipped(tmp_path: Path, **extra: str) -> dict[str, str]:
    return reference_env(tmp_path, shipped_hash=True, **extra)


def _assert_clean(run_output: str, returncode: int, outcomes: dict[str, int]) -> None:
    assert returncode == 0, run_output[-4000:]
    assert outcomes.get("failed", 0) == 0
    assert outcomes.get("passed", 0) > 0


def test_in_process(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--target-app=reference_app:app", env=_shipped(tmp_path))
    _assert_clean(run.output, run.returncode, run.outcomes())
    assert "conformance report" in run.output
    # the suite deletes what it creates: no item is left (authors have no DELETE to use)
    with sqlite3.connect(tmp_path / "reference.db") as database:
        assert database.execute("SELECT name FROM items").fetchall() == []


@pytest.mark.parametrize("where", ["thread", "subprocess"])
def test_served(tmp_path: Path, where: str) -> None:
    run = run_suite(
        tmp_path, "--target-serve=reference_app:app", f"--target-serve-in={where}",
        env=_shipped(tmp_path),
    )  # fmt: skip
    _assert_clean(run.output, run.returncode, run.outcomes())


def test_over_url(tmp_path: Path) -> None:
    env = _shipped(tmp_path)  # one set of secrets: the suite forges tokens with it
    with served_reference(env) as url:
        run = run_suite(tmp_path, f"--target-url={url}", env=env)
    _assert_clean(run.output, run.returncode, run.outcomes())


def test_rfc9457_envelope(tmp_path: Path) -> None:
    """With ERROR_ENVELOPE=rfc9457 and the matching profile, ERR-06 runs and passes."""
    env = _shipped(tmp_path, ERROR_ENVELOPE="rfc9457")
    run = run_suite(tmp_path, "--target-app=reference_app:app", profile='envelope = "rfc9457"\n',
                    env=env)  # fmt: skip
    _assert_clean(run.output, run.returncode, run.outcomes())
    err06 = [c for c in run.report["checks"] if c["id"] == "ERR-06"]
    assert err06 and all(c["outcome"] == "passed" for c in err06)
