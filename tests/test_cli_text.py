"""The ``conformance`` command's own text: plain help, the installed profile reference."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytest_conformance.cli import main

DOCS = Path(__file__).resolve().parent.parent / "docs" / "profile.md"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from pytest_conformance.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )


def test_help_is_plain_text_and_names_every_command() -> None:
    run = _run("--help")
    assert run.returncode == 0, run.stderr
    assert "``" not in run.stdout
    assert "init" in run.stdout
    assert "profile-reference" in run.stdout
    assert "pytest --pyargs conformance" in run.stdout


def test_profile_reference_prints_the_installed_docs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile-reference"]) == 0
    assert capsys.readouterr().out == DOCS.read_text(encoding="utf-8")


def test_init_names_the_reference_and_the_whole_next_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "conformance.toml"
    assert main(["init", "--app", "tests.targets.fastapi_v1:app", "-o", str(output)]) == 0
    said = capsys.readouterr().out
    assert "…" not in said
    assert (
        f"next: pytest --pyargs conformance --profile={output} "
        "--target-app=tests.targets.fastapi_v1:app"
    ) in said
    header = output.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "conformance profile-reference" in header
    assert "README" not in header
