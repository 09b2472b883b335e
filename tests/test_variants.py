"""Correct variants of the reference app pass the checks of what they do differently.

Each variant in ``tests/targets/variants.py`` takes a liberty SPEC.md grants (issue 16): the
checks of that ID, and the whole suite's OAS-06 view of the answers, must pass on it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import run_suite

VARIANTS = {
    # an empty bearer token answered 401 "Could not validate credentials" (AUTH-06)
    "empty_bearer_invalid_token": "AUTH-06",
    # computed_at a float, as the tutorial's time.time() (CACHE-01)
    "float_computed_at": "CACHE-01",
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_a_correct_variant_passes(variant: str, tmp_path: Path) -> None:
    check_id = VARIANTS[variant]
    run = run_suite(
        tmp_path,
        f"--target-app=tests.targets.variants:{variant}",
        extra_args=("-k", f"{check_id} or OAS-06", "--fuzz-examples=0"),
    )
    assert run.report, f"the suite wrote no report:\n{run.output[-3000:]}"
    assert run.returncode == 0 and not run.failed_ids, run.output[-4000:]
    ran = {entry["id"] for entry in run.report["checks"] if entry["outcome"] == "passed"}
    assert check_id in ran, run.output[-3000:]


def test_checks_log_in_where_the_document_secures_the_items(tmp_path: Path) -> None:
    """Issue 13: with every items route behind a login (declared in the document), the
    DATA, PAGE, RATE, ERR and MW checks send the profile user's token and pass."""
    run = run_suite(
        tmp_path,
        "--target-app=tests.targets.variants:items_need_a_login",
        extra_args=("-m", "data or page or rate or err or mw or oas", "--fuzz-examples=0"),
    )
    assert run.report, f"the suite wrote no report:\n{run.output[-3000:]}"
    assert run.returncode == 0 and not run.failed_ids, run.output[-4000:]
    summary = run.report["summary"]
    assert summary["DATA"]["passed"] >= 15 and summary["PAGE"]["passed"] >= 14, summary
