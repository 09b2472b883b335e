"""``conformance init``: a starting profile from a target's OpenAPI document (issue 7)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pytest_conformance.cli import main
from pytest_conformance.profile import Profile, load_profile_file
from pytest_conformance.init.reading import common_prefix

from tests.support import REPO_ROOT, free_port, reference_env, run_suite, served_reference


def _init(tmp_path: Path, *args: str) -> Profile:
    output = tmp_path / "profile.toml"
    assert main(["init", *args, "-o", str(output)]) == 0
    return load_profile_file(output)


def test_fastapi_target(tmp_path: Path) -> None:
    profile = _init(tmp_path, "--app", "tests.targets.fastapi_v1:app")
    assert profile.envelope == "fastapi"
    paths = profile.paths
    assert paths.prefix == "/api/v1"
    assert paths.openapi == "/api/v1/openapi.json"
    assert paths.docs == "/docs"  # not under the prefix
    assert paths.token == "/api/v1/login/access-token"
    assert (paths.items, paths.item) == ("/api/v1/items/", "/api/v1/items/{item_id}")
    assert paths.health == "/api/v1/utils/health-check/"
    assert profile.auth.login_failure_status == 400
    pagination = profile.pagination
    assert (pagination.offset_param, pagination.limit_param) == ("skip", "limit")
    assert (pagination.items_field, pagination.total_field) == ("data", "count")
    assert (pagination.max_limit, pagination.max_limit_status) == (100, 422)
    assert profile.streams.ndjson_content_type == "application/jsonl"
    capabilities = profile.capabilities
    assert capabilities.auth and capabilities.pagination and capabilities.streams
    assert not capabilities.rbac and not capabilities.websockets
    assert not capabilities.cursor_pagination
    assert (profile.openapi.title, profile.openapi.version) == ("Items Service", "0.3.0")


def test_starlette_target(tmp_path: Path) -> None:
    profile = _init(tmp_path, "--app", "tests.targets.starlette_plain:app")
    assert profile.envelope == "errors-list"
    assert profile.errors.validation_status == 400
    assert profile.paths.openapi == "/schema/openapi.json"
    assert profile.paths.token == "/auth/token"
    assert profile.paths.users_me == "/me"
    assert profile.paths.items_cursor == "/items/cursor"
    assert profile.auth.login_status == 201
    assert profile.paths.method_not_allowed == "PUT /me"
    pagination = profile.pagination
    assert (pagination.style, pagination.offset_param, pagination.limit_param) == (
        "page",
        "page",
        "size",
    )
    assert (pagination.total_field, pagination.skip_field, pagination.limit_field) == (
        "total",
        "page",
        "size",
    )
    assert (pagination.max_limit, pagination.max_limit_status) == (50, 400)
    assert pagination.has_more_field == ""
    assert not profile.capabilities.streams


def test_generated_profile_adjusted_runs_the_suite(tmp_path: Path) -> None:
    """The README's walkthrough: init, add the credentials and messages, run."""
    output = tmp_path / "generated.toml"
    assert main(["init", "--app", "tests.targets.starlette_plain:app", "-o", str(output)]) == 0
    text = output.read_text(encoding="utf-8")
    text = text.replace('login_failure = ""', 'login_failure = "Invalid credentials"')
    text = text.replace("[auth]\n", "[auth]\ninvalid_token_status = 403\n")
    text = text.replace("[pagination]\n", '[pagination]\ninvalid_cursor = "400"\n')
    text += "\n[jwt]\nlifetime_minutes = 15\n"
    text += '\n[users.admin]\nusername = "root"\npassword = "root-password-1"\n'
    run = run_suite(
        tmp_path,
        "--target-app=tests.targets.starlette_plain:app",
        profile=text,
        env=reference_env(tmp_path),
        extra_args=("-m", "auth or page or data or err"),
    )
    assert run.returncode == 0 and not run.failed_ids, run.output[-4000:]
    assert run.outcomes().get("passed", 0) >= 40


def test_running_server(tmp_path: Path) -> None:
    with served_reference(reference_env(tmp_path)) as url:
        profile = _init(tmp_path, "--url", url)
    assert profile.envelope == "tutorial"
    assert profile.paths.prefix == ""
    assert profile.paths.token == "/token"
    assert profile.capabilities.rbac and profile.capabilities.cursor_pagination


def _fails(tmp_path: Path, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "pytest_conformance.cli", "init", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2, completed.stdout + completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--app", "no_such_module_here:app"), "could not import module 'no_such_module_here'"),
        (("--app", "tests.targets.fastapi_v1:nothing"), "has no attribute 'nothing'"),
        (("--app", "tests.targets.fastapi_v1"), "not of the form 'module:attribute'"),
        (("--app", "tests.targets.fastapi_v1:PREFIX"), "is a str, not an ASGI app"),
        (("--url", "ftp://example.org"), "not an http:// or https:// URL"),
        (("--app", "tests.targets.fastapi_v1:app", "--openapi", "/nope.json"),
         "no OpenAPI document at http://testserver: tried /nope.json (404)"),
    ],
)  # fmt: skip
def test_bad_targets_are_one_line(args: tuple[str, ...], expected: str, tmp_path: Path) -> None:
    line = _fails(tmp_path, *args, "-o", str(tmp_path / "out.toml"))
    assert line.startswith("conformance init: ") and expected in line, line


def test_unreachable_server(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    line = _fails(tmp_path, "--url", url, "-o", str(tmp_path / "out.toml"))
    assert f"cannot reach {url}/openapi.json" in line, line


def test_existing_file_is_kept(tmp_path: Path) -> None:
    existing = tmp_path / "out.toml"
    existing.write_text("# mine\n")
    line = _fails(tmp_path, "--app", "tests.targets.fastapi_v1:app", "-o", str(existing))
    assert "exists (use --force" in line
    assert existing.read_text() == "# mine\n"
    assert main(["init", "--app", "tests.targets.fastapi_v1:app", "-o", str(existing),
                 "--force"]) == 0  # fmt: skip
    assert "prefix" in existing.read_text()


def test_common_prefix() -> None:
    assert common_prefix(["/api/v1/items/", "/api/v1/users/me"]) == "/api/v1"
    assert common_prefix(["/api/v1/items", "/api/v1/items/{id}"]) == "/api/v1"
    assert common_prefix(["/items", "/items/{id}"]) == ""
    assert common_prefix(["/items", "/token"]) == ""
    assert common_prefix(["/only"]) == ""


def test_a_document_that_answers_500_still_gets_a_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "broken.toml"
    assert main(["init", "--app", "tests.targets.broken_document:app", "-o", str(output)]) == 0
    said = capsys.readouterr().err  # standard output may be the profile itself (-o -)
    assert "GET /openapi.json answered 500" in said and "without the document" in said
    text = output.read_text(encoding="utf-8")
    assert "answered 500" in text  # the reason, as a comment beside the switch
    profile = load_profile_file(output)
    assert profile.contract == "none"
    assert profile.capabilities.openapi is False
