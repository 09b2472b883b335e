"""DI-03 takes the dependency from the profile and says where it looked when it skips (issue 16)."""

from __future__ import annotations

from pathlib import Path

from tests.support import run_suite

SELECT = ("-k", "DI-03", "--fuzz-examples=0")


def _by_kind(run_report: dict[str, object]) -> dict[str, dict[str, str]]:
    checks = run_report["checks"]
    assert isinstance(checks, list)
    return {entry["nodeid"].rstrip("]").rsplit("-", 1)[-1]: entry for entry in checks}


def test_a_dependency_named_by_import_path_is_overridden(tmp_path: Path) -> None:
    profile = (
        '[dependencies]\nauth = ["reference_app.auth:get_current_user"]\n'
        'database = ["no_such_dependency"]\n'
    )
    run = run_suite(tmp_path, "--target-app=reference_app:app", profile=profile, extra_args=SELECT)
    assert run.returncode == 0, run.output[-3000:]
    kinds = _by_kind(run.report)
    assert kinds["auth"]["outcome"] == "passed", kinds
    assert kinds["database"]["outcome"] == "skipped", kinds
    reason = kinds["database"]["message"]
    assert "no_such_dependency" in reason and "FastAPI dependency tree" in reason, reason
    assert "package.module:function" in reason, reason
