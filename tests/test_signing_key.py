"""The JWT key from the environment or ./.env, proven before use (issue 16).

README's quick start (``init-env``, then the suite in-process) runs the whole forged-token
battery; a key meant for another app skips those checks with the reason, never fails them;
the key is never shown.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conformance import tokens
from conformance.signing_key import env_file_value, signs
from tests.support import SUITE_TIMEOUT, reference_env, run_suite

# the checks that need the key: five AUTH-07 attacks and three RBAC-01 checks
KEYED = (
    "expired", "no_sub", "no_exp", "unknown_sub", "other_hmac_algorithm",
    "test_malformed_roles_claim", "test_decisions_use_claim",
)  # fmt: skip
SELECT = ("-k", "AUTH-07 or RBAC-01", "--fuzz-examples=0")


def _keyed(report: dict[str, object]) -> list[dict[str, str]]:
    checks = report["checks"]
    assert isinstance(checks, list)
    return [entry for entry in checks if any(name in entry["nodeid"] for name in KEYED)]


def test_env_file_values(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "# comment\nSECRET_KEY=abc\nexport JWT_SECRET_KEY='quoted value'\nOTHER=x # note\n"
        "JWT_SECRET_KEY_2=no\n",
        encoding="utf-8",
    )
    assert env_file_value(env, "JWT_SECRET_KEY") == "quoted value"
    assert env_file_value(env, "OTHER") == "x"
    assert env_file_value(env, "MISSING") is None
    assert env_file_value(tmp_path / "absent", "JWT_SECRET_KEY") is None


def test_signs_tells_the_key() -> None:
    token = tokens.sign_hmac({"sub": "alice"}, "the-key", "HS384")
    assert signs(token, "the-key")
    assert not signs(token, "another-key")
    assert not signs("not-a-jwt", "the-key")


def test_readme_quick_start_runs_the_keyed_checks(tmp_path: Path) -> None:
    """``python -m reference_app init-env`` then the suite: no [jwt] secret anywhere."""
    env = {key: value for key, value in reference_env(tmp_path).items()
           if key not in ("SECRET_KEY", "JWT_SECRET_KEY")}  # fmt: skip
    subprocess.run([sys.executable, "-m", "reference_app", "init-env"], cwd=tmp_path, env=env,
                   check=True, capture_output=True)  # fmt: skip
    report_path = tmp_path / "report.json"
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "--pyargs", "conformance",
         "--target-app=reference_app:app", f"--conformance-report={report_path}",
         "-p", "no:cacheprovider", "-q", "-rs", *SELECT],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=SUITE_TIMEOUT, check=False,
    )  # fmt: skip
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-4000:]
    keyed = _keyed(json.loads(report_path.read_text(encoding="utf-8")))
    assert len(keyed) == 8, keyed
    assert {entry["outcome"] for entry in keyed} == {"passed"}, keyed
    key = env_file_value(tmp_path / ".env", "JWT_SECRET_KEY")
    assert key and key not in output and key not in report_path.read_text(encoding="utf-8")


def test_a_key_of_another_app_skips_with_the_reason(tmp_path: Path) -> None:
    env = reference_env(tmp_path, OTHER_APP_JWT_KEY="not-the-reference-app-key-" + "x" * 20)
    run = run_suite(
        tmp_path,
        "--target-app=reference_app:app",
        profile='[jwt]\nsecret_env = "OTHER_APP_JWT_KEY"\n',
        env=env,
        extra_args=SELECT,
        jwt_secret=False,
    )
    assert run.returncode == 0, run.output[-4000:]
    keyed = _keyed(run.report)
    assert len(keyed) == 8 and {entry["outcome"] for entry in keyed} == {"skipped"}, keyed
    for entry in keyed:
        assert "OTHER_APP_JWT_KEY does not sign the target's tokens" in entry["message"]
    assert env["OTHER_APP_JWT_KEY"] not in run.output


@pytest.mark.parametrize("secret_env", ['""', '"NO_SUCH_VARIABLE_FOR_CONFORMANCE"'])
def test_without_a_key_the_checks_skip(secret_env: str, tmp_path: Path) -> None:
    assert "NO_SUCH_VARIABLE_FOR_CONFORMANCE" not in os.environ
    run = run_suite(
        tmp_path,
        "--target-app=reference_app:app",
        profile=f"[jwt]\nsecret_env = {secret_env}\n",
        extra_args=SELECT,
        jwt_secret=False,
    )
    assert run.returncode == 0, run.output[-4000:]
    keyed = _keyed(run.report)
    assert {entry["outcome"] for entry in keyed} == {"skipped"}, keyed
    assert all("needs the target's JWT secret" in entry["message"] for entry in keyed)
