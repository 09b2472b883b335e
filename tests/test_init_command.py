"""``conformance init``: a starting profile from a target's OpenAPI document and real
answers to harmless probes (issues 7, 13)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_conformance.cli import main, profile_reference
from pytest_conformance.init import evidence, render
from pytest_conformance.init.document import common_prefix
from pytest_conformance.init.probes import Answer, Probes
from pytest_conformance.init.reading import read_document
from pytest_conformance.profile.sections import Profile, load_profile_file
from pytest_conformance.target_model import build_model
from pytest_conformance.target_model.openapi_document import OpenAPIDocument

from tests.support import REPO_ROOT, free_port, reference_env, run_suite, served_reference


def _init(tmp_path: Path, *args: str) -> Profile:
    output = tmp_path / "profile.toml"
    assert main(["init", *args, "-o", str(output)]) == 0
    return load_profile_file(output)


def test_fastapi_target(tmp_path: Path) -> None:
    output = tmp_path / "profile.toml"
    assert main(["init", "--app", "tests.targets.fastapi_v1:app", "-o", str(output)]) == 0
    text = output.read_text(encoding="utf-8")
    profile = load_profile_file(output)
    assert profile.contract == "none"  # /api/v1/items/ is not the tutorial's /items
    assert profile.envelope == "fastapi"
    assert "from real answers: GET /conformance-init-no-such-path-" in text
    paths = profile.paths
    assert paths.prefix == "/api/v1"  # every path and the document are under it
    assert paths.openapi == "/api/v1/openapi.json"
    assert paths.docs == "/docs"  # not under the prefix
    assert paths.token == "/api/v1/login/access-token"
    assert paths.method_not_allowed == "PUT /api/v1/items/"
    assert profile.auth.login_failure_status == 400  # what the login answered, not a guess
    # the tutorial's checks would send the tutorial's payloads there: named, not mapped
    assert not paths.is_mapped("items") and not paths.is_mapped("health")
    assert "paths.items = '/items/'" in text
    capabilities = profile.capabilities
    assert capabilities.request_id is False  # none of its answers carries one
    assert capabilities.is_mapped("security_headers") is False  # it sends them: not off
    assert "security_headers: every answer carried" in text
    assert (profile.openapi.title, profile.openapi.version) == ("Items Service", "0.3.0")


def test_starlette_target(tmp_path: Path) -> None:
    profile = _init(tmp_path, "--app", "tests.targets.starlette_plain:app")
    assert profile.contract == "none"
    assert profile.envelope == "errors-list"
    assert profile.errors.validation_status == 400  # a body that is not JSON got 400
    assert profile.paths.openapi == "/schema/openapi.json"
    assert profile.paths.prefix == ""
    assert profile.paths.token == "/auth/token"
    assert profile.paths.users_me == "/me"
    assert profile.auth.login_status == 201
    assert profile.paths.method_not_allowed == "PUT /me"
    capabilities = profile.capabilities
    assert not capabilities.security_headers and not capabilities.request_id
    assert not capabilities.cors


def test_generated_profile_runs_the_suite(tmp_path: Path) -> None:
    """The README's walkthrough: init with a user, add what the target chose, run."""
    output = tmp_path / "generated.toml"
    assert main(["init", "--app", "tests.targets.starlette_plain:app", "-o", str(output),
                 "--user", "admin:root:root-password-1"]) == 0  # fmt: skip
    text = output.read_text(encoding="utf-8")
    text = text.replace("[auth]\n", "[auth]\ninvalid_token_status = 403\n")
    text += "\n[jwt]\nlifetime_minutes = 15\n"
    run = run_suite(
        tmp_path,
        "--target-app=tests.targets.starlette_plain:app",
        profile=text,
        env=reference_env(tmp_path),
        extra_args=("-m", "auth or page or data or err"),
    )
    assert run.returncode == 0 and not run.failed_ids, run.output[-4000:]
    outcomes = run.outcomes()
    assert outcomes.get("passed", 0) >= 25 and outcomes.get("not_applicable", 0) > 0, outcomes


def test_running_server(tmp_path: Path) -> None:
    with served_reference(reference_env(tmp_path)) as url:
        output = tmp_path / "profile.toml"
        assert main(["init", "--url", url, "-o", str(output), "--user", "admin:alice:secret",
                     "--user", "user:bob:wrong-password"]) == 0  # fmt: skip
    profile = load_profile_file(output)
    text = output.read_text(encoding="utf-8")
    assert profile.contract == "tutorial"  # the reference app's own document
    assert profile.envelope == "tutorial"
    assert profile.paths.prefix == ""
    assert profile.paths.token == "/token"
    assert profile.capabilities.rbac and profile.capabilities.cursor_pagination
    # the answers carried them: nothing switched off
    caps = profile.capabilities
    assert caps.security_headers and caps.request_id and caps.cors
    assert "request_id (on): GET /conformance-init-no-such-path-" in text
    assert set(profile.users) == {"admin"}  # bob's wrong password did not log in
    assert profile.users["admin"].username == "alice"
    assert "--user user (bob): POST /token answered 401" in text
    assert "wrong-password" not in text
    assert "GET /users/me answered 401" in text  # a route that needs a token


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


def _document(*paths: str, token_url: str | None = None) -> OpenAPIDocument:
    ok = {"responses": {"200": {"description": "ok"}}}
    document: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
                                "paths": {path: {"get": ok} for path in paths}}  # fmt: skip
    if token_url is not None:
        flow = {"password": {"tokenUrl": token_url, "scopes": {}}}
        document["components"] = {"securitySchemes": {"o": {"type": "oauth2", "flows": flow}}}
    return OpenAPIDocument(document)


@pytest.mark.parametrize(
    ("document_url", "token_url", "prefix"),
    [
        ("http://t/openapi.json", None, ""),  # two paths sharing a segment: no prefix
        ("http://t/api/v1/openapi.json", None, "/api/v1"),  # the document is under it
        ("http://t/openapi.json", "/api/v1/token", "/api/v1"),  # the login is under it
        ("http://t/openapi.json", "/token", ""),
    ],
)
def test_prefix_needs_the_document_or_login_under_it(
    document_url: str, token_url: str | None, prefix: str
) -> None:
    paths = ["/api/v1/items", "/api/v1/items/{item_id}"]
    if token_url and token_url.startswith("/api/v1"):
        paths.append(token_url)
    reading = read_document(_document(*paths, token_url=token_url), document_url)
    assert reading.data.get("paths", {}).get("prefix", "") == prefix


def test_contract_is_tutorial_only_for_the_tutorial_operations(tmp_path: Path) -> None:
    """The reference app's document gives "tutorial" (test_running_server); an API with a
    login and a "me" but notes instead of items gives "none"."""
    profile = _init(tmp_path, "--app", "tests.targets.uuid_accounts:app")
    assert profile.contract == "none"
    items = _document("/items", "/items/{item_id}", "/users/me", token_url="/token")
    assert read_document(items, "http://t/openapi.json").data["contract"] == "none"


def test_users_are_tried_and_never_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "profile.toml"
    assert main(["init", "--app", "tests.targets.uuid_accounts:app", "-o", str(output),
                 "--user", "admin:admin@example.com:changethis-admin",
                 "--user", "user:nobody@example.com:not:the:password"]) == 0  # fmt: skip
    said = capsys.readouterr()
    assert "changethis-admin" not in said.out + said.err
    assert "not:the:password" not in said.out + said.err
    assert "--user user (nobody@example.com): POST /api/v1/login/access-token answered 400" in (
        said.err
    )
    profile = load_profile_file(output)
    assert set(profile.users) == {"admin"}
    assert profile.users["admin"].password == "changethis-admin"
    text = output.read_text(encoding="utf-8")
    assert "not:the:password" not in text
    assert "GET /api/v1/notes/ answered 401" in text


def test_bad_user_option_is_one_line(tmp_path: Path) -> None:
    line = _fails(tmp_path, "--app", "tests.targets.uuid_accounts:app", "--user", "admin:x",
                  "-o", str(tmp_path / "out.toml"))  # fmt: skip
    assert "not of the form ROLE:NAME:PASSWORD" in line, line


def test_init_then_run_on_the_reference_app_passes(tmp_path: Path) -> None:
    """A generated profile guesses nothing wrong: the reference app passes with it."""
    env = reference_env(tmp_path)
    output = tmp_path / "generated.toml"
    completed = subprocess.run(
        [sys.executable, "-m", "pytest_conformance.cli", "init", "--app", "reference_app:app",
         "-o", str(output)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert "next: pytest --pyargs conformance" in completed.stdout
    assert "every key: conformance profile-reference" in completed.stdout
    run = run_suite(
        tmp_path, "--target-app=reference_app:app",
        profile=output.read_text(encoding="utf-8"), env=env,
    )  # fmt: skip
    assert run.returncode == 0 and not run.failed_ids, run.output[-4000:]
    assert run.outcomes().get("passed", 0) >= 150, run.outcomes()


def test_init_asks_for_the_declared_scopes_and_the_run_passes(tmp_path: Path) -> None:
    """``scoped_login`` (FastAPI's OAuth2 scopes tutorial): its me operation needs the scope
    ``me``, which a token carries only when the login asked for it. Init writes the password
    flow's scopes, and the fuzz role of the only user given; with them the run finds
    nothing. Without them every login gets a scope-less token and AUTH-05 fails."""
    output = tmp_path / "generated.toml"
    assert main(["init", "--app", "tests.targets.scoped_login:app", "-o", str(output),
                 "--user", "user:johndoe:secret-of-johndoe"]) == 0  # fmt: skip
    text = output.read_text(encoding="utf-8")
    assert 'scopes = ["me", "items"]' in text, text
    assert '[fuzz]\nrole = "user"' in text, text
    env = reference_env(tmp_path)
    target = "--target-app=tests.targets.scoped_login:app"
    run = run_suite(tmp_path, target, profile=text, env=env, jwt_secret=False)
    assert run.returncode == 0 and not run.failed_ids, run.output[-3000:]
    assert run.report["summary"]["AUTH"]["passed"] >= 5, run.report["summary"]["AUTH"]
    unscoped = "\n".join(line for line in text.splitlines() if not line.startswith("scopes ="))
    run = run_suite(tmp_path, target, profile=unscoped, env=env, jwt_secret=False)
    assert run.failed_ids == {"AUTH-05"}, run.output[-3000:]
    assert "Not enough permissions" in run.output


def test_an_app_without_a_login_is_fuzzed_and_fails_only_its_bugs(tmp_path: Path) -> None:
    """``heroes`` (FastAPI's SQL tutorial): no login, no me path, mutating operations. The
    fuzz area used to be not applicable there (it read the unmapped ``[paths] users_me``);
    now it runs and finds the tutorial's PATCH that answers 500 for ``"name": null``."""
    output = tmp_path / "generated.toml"
    assert main(["init", "--app", "tests.targets.heroes:app", "-o", str(output)]) == 0
    text = output.read_text(encoding="utf-8")
    run = run_suite(tmp_path, "--target-app=tests.targets.heroes:app", profile=text,
                    env=reference_env(tmp_path), jwt_secret=False)  # fmt: skip
    fuzz = {e["id"]: e for e in run.report["checks"] if e["id"].startswith("FUZZ-")}
    assert fuzz["FUZZ-01"]["outcome"] == "failed", run.output[-3000:]
    assert "PATCH /heroes/{hero_id}" in str(fuzz["FUZZ-01"].get("message"))
    # the 500 (FUZZ-01, and ERR-07: a text 500), its undocumented 404 (OAS-06; FUZZ-02 also
    # sees the undocumented 500 and 404), negative offset and limit taken (PAGE-07)
    assert run.failed_ids == {"FUZZ-01", "FUZZ-02", "ERR-07", "OAS-06", "PAGE-07"}, run.output[
        -3000:
    ]


def test_init_then_run_on_uuid_accounts_fails_only_its_bugs(tmp_path: Path) -> None:
    """With the user given on the command line (and the JWT secret added, which no answer
    can tell), the verdict is the target's real bugs: AUTH-07's 500, undocumented (OAS-06)."""
    output = tmp_path / "generated.toml"
    assert main(["init", "--app", "tests.targets.uuid_accounts:app", "-o", str(output),
                 "--user", "admin:admin@example.com:changethis-admin"]) == 0  # fmt: skip
    text = output.read_text(encoding="utf-8")
    text += '\n[jwt]\nsecret = "uuid-accounts-target-signing-key-0123456789"\n'
    run = run_suite(tmp_path, "--target-app=tests.targets.uuid_accounts:app", profile=text,
                    env=reference_env(tmp_path))  # fmt: skip
    # its one bug, a signed token whose sub is no UUID answering 500: AUTH-07 on the me
    # path, AUTH-09 on every secured operation, the undocumented (OAS-06) text 500 (ERR-07)
    assert run.failed_ids == {"AUTH-07", "AUTH-09", "OAS-06", "ERR-07"}, run.output[-3000:]
    assert run.report["summary"]["AUTH"]["passed"] >= 20


def test_init_then_run_on_a_users_library_app_fails_only_its_example_secret(
    tmp_path: Path,
) -> None:
    """``users_library`` (fastapi-users' shape): its 401s carry no challenge and its
    register documents 400 for an existing account. Init switches the challenge off with
    the evidence, so neither buries the run; what fails is the example's signing secret."""
    output = tmp_path / "generated.toml"
    assert main(["init", "--app", "tests.targets.users_library:app", "-o", str(output),
                 "--user", "user:ann@example.com:ann-password-1",
                 "--user", "user_2:ben@example.com:ben-password-1"]) == 0  # fmt: skip
    text = output.read_text(encoding="utf-8")
    assert "challenge = false  # GET /users/me 401 without WWW-Authenticate (1 route)" in text
    run = run_suite(tmp_path, "--target-app=tests.targets.users_library:app", profile=text,
                    env=reference_env(tmp_path))  # fmt: skip
    assert run.failed_ids == {"AUTH-10"}, run.output[-3000:]
    failed = [e["nodeid"] for e in run.report["checks"] if e["outcome"] == "failed"]
    assert failed == ["conformance/test_auth.py::test_jwt_attack[AUTH-10-weak_secret]"]
    assert run.report["summary"]["AUTH"]["passed"] >= 25


def test_profile_reference_is_installed() -> None:
    assert "# The profile" in profile_reference()


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


def _answer(status: int, path: str = "/x") -> Answer:
    return Answer("GET", path, status, httpx.Headers(), {"detail": "no"}, "application/json")


def test_unauthenticated_status_is_written_when_the_answers_agree() -> None:
    operation = build_model(_document("/a")).operations[0]
    agree = Probes(unauthenticated=[(operation, _answer(403, "/a")), (operation, _answer(403))])
    finding = evidence.unauthenticated_status(agree)
    assert finding is not None and finding.value == 403
    reading = read_document(_document("/a", "/b"), "http://t/openapi.json", agree)
    assert reading.data["auth"]["unauthenticated_status"] == 403
    differ = Probes(unauthenticated=[(operation, _answer(403)), (operation, _answer(401))])
    assert evidence.unauthenticated_status(differ) is None


def test_401s_without_a_challenge_switch_the_challenge_off_with_the_evidence() -> None:
    """fastapi-users' 401s carry no WWW-Authenticate: init says so once, in the profile,
    instead of every AUTH check failing on it (the strict level still notes it)."""
    operation = build_model(_document("/a")).operations[0]
    bare = Probes(unauthenticated=[(operation, _answer(401, "/a")), (operation, _answer(401))])
    reading = read_document(_document("/a", "/b"), "http://t/openapi.json", bare)
    assert reading.data["auth"]["challenge"] is False
    assert "without WWW-Authenticate (2 routes)" in render(reading, "http://t")
    challenged = _answer(401)
    challenged.headers["WWW-Authenticate"] = "Bearer"
    one = Probes(unauthenticated=[(operation, _answer(401, "/a")), (operation, challenged)])
    assert evidence.missing_challenge(one) is None  # one answer challenges: nothing is written
    assert evidence.missing_challenge(Probes()) is None


def test_envelope_falls_back_to_the_document_and_says_so() -> None:
    reading = read_document(_document("/a", "/b"), "http://t/openapi.json", Probes())
    assert "no error answer could be provoked" in render(reading, "http://t")
    provoked = Probes(errors=[_answer(404)])
    reading = read_document(_document("/a", "/b"), "http://t/openapi.json", provoked)
    assert reading.data["envelope"] == "fastapi"
    assert "from real answers: GET /x answered 404 fastapi" in render(reading, "http://t")


def test_headers_switch_off_only_when_no_answer_carries_them() -> None:
    bare = Probes(answers=[_answer(404), _answer(405)], sent_request_id="r-1")
    found = evidence.security_headers(bare)
    assert found is not None and found.value is False and "none of 2 answers" in found.note
    carrying = _answer(404)
    carrying.headers["X-Frame-Options"] = "DENY"
    carrying.headers["X-Correlation-ID"] = "r-1"
    some = Probes(answers=[carrying, _answer(405)], sent_request_id="r-1")
    partly = evidence.security_headers(some)
    assert partly is not None and partly.value is None  # not off: one answer carried one
    request_id = evidence.request_id(some)
    assert request_id is not None and request_id.value == "X-Correlation-ID"


def test_init_names_a_header_parameter_many_operations_declare() -> None:
    """Such a header may be a key every caller sends (tests/targets/gateway_key.py): init
    names it in a comment, with the [headers] line to write; it never guesses a value."""
    from pytest_conformance.init.headers import header_hints

    from tests.targets.gateway_key import app

    hints = header_hints(list(build_model(OpenAPIDocument(app.openapi())).operations))
    assert len(hints) == 1 and "'X-API-Key'" in hints[0], hints
    assert '[headers] "X-API-Key" = "…"' in hints[0]
    assert "5 operations" in hints[0]
