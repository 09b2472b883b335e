"""Failure messages show the answer they judge, and start with their check's ID (issue 16)."""

from __future__ import annotations

from pathlib import Path

from tests.support import run_suite


def test_page01_shows_the_answer_for_the_maximum_itself(tmp_path: Path) -> None:
    """The refused maximum (limit=50) is shown, not the 400 for limit=51 that came before."""
    run = run_suite(
        tmp_path,
        "--target-app=tests.mutants.page01_maximum_refused:app",
        extra_args=("-k", "PAGE-01 and maximum", "--fuzz-examples=0"),
    )
    assert run.failed_ids == {"PAGE-01"}, run.output[-3000:]
    [failure] = [entry for entry in run.report["checks"] if entry["outcome"] == "failed"]
    message = failure["message"]
    assert "PAGE-01: the maximum limit itself (limit=50) was refused" in message
    assert "limit=50" in message.split("request:", 1)[1].splitlines()[0], message
    assert "limit=51" not in message, message
