"""The schemathesis extension applies our assertions to generated answers."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from schemathesis_conformance import checks, hooks

from tests.support import reference_env, served_reference


def _app(*, headers: bool) -> FastAPI:
    app = FastAPI()

    @app.get("/things/{thing_id}")
    def thing(thing_id: int) -> JSONResponse:
        response = JSONResponse(
            {"error_code": "NOT_FOUND", "message": "no", "details": None}, status_code=404
        )
        if headers:
            response.headers.update(
                {
                    "X-Content-Type-Options": "nosniff",
                    "X-Frame-Options": "DENY",
                    "X-XSS-Protection": "1; mode=block",
                    "Referrer-Policy": "strict-origin-when-cross-origin",
                }
            )
        return response

    return app


def _call(app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    case = schema["/things/{thing_id}"]["GET"].Case(path_parameters={"thing_id": 1})
    response = case.call(app=app)
    checks.conformance_security_headers(None, response, case)
    checks.conformance_error_envelope(None, response, case)


def test_conforming_answers_pass() -> None:
    _call(_app(headers=True))


def test_missing_security_headers_fail() -> None:
    with pytest.raises(AssertionError, match="security headers"):
        _call(_app(headers=False))


def test_conversion_keeps_repeated_headers() -> None:
    class Fake:
        status_code = 200
        headers: ClassVar[dict[str, list[str]]] = {"set-cookie": ["a=1", "b=2"]}
        content = b"{}"
        request = httpx.Request("GET", "http://x/")

    assert checks.as_httpx(Fake()).headers.get_list("set-cookie") == ["a=1", "b=2"]


def _answer(
    status: int, headers: dict[str, str], body: bytes = b"{}", sent: dict[str, str] | None = None
) -> Any:
    """A schemathesis response as the CLI hands it to the checks."""
    import requests
    from schemathesis.core.transport import Response

    request = requests.Request("GET", "http://target/things/1", headers=sent or {}).prepare()
    return Response(status, {k: [v] for k, v in headers.items()}, body, request, 0.0, True)


SECURE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-XSS-Protection": "1; mode=block",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def test_request_id_must_be_echoed() -> None:
    sent = {"X-Request-ID": "abc-123"}
    checks.conformance_request_id(None, _answer(200, {"X-Request-ID": "abc-123"}, sent=sent), None)
    with pytest.raises(AssertionError, match="not echoed"):
        checks.conformance_request_id(
            None, _answer(200, {"X-Request-ID": "other"}, sent=sent), None
        )


def test_request_id_generated_when_none_sent() -> None:
    checks.conformance_request_id(None, _answer(200, {"X-Request-ID": str(uuid.uuid4())}), None)
    with pytest.raises(AssertionError, match="no X-Request-ID"):
        checks.conformance_request_id(None, _answer(200, {}), None)


def test_401_needs_a_bearer_challenge() -> None:
    checks.conformance_bearer_challenge(None, _answer(401, {"WWW-Authenticate": "Bearer"}), None)
    checks.conformance_bearer_challenge(None, _answer(403, {}), None)
    with pytest.raises(AssertionError, match="Bearer challenge"):
        checks.conformance_bearer_challenge(None, _answer(401, {}), None)


def test_no_server_error() -> None:
    checks.conformance_no_server_error(None, _answer(404, {}), None)
    with pytest.raises(AssertionError, match="server error"):
        checks.conformance_no_server_error(None, _answer(502, {}), None)


def test_error_code_must_match_status() -> None:
    body = json.dumps({"error_code": "NOT_FOUND", "message": "m", "details": None}).encode()
    headers = {"Content-Type": "application/json"}
    checks.conformance_error_envelope(None, _answer(404, headers, body), None)
    with pytest.raises(AssertionError, match="ERR-02"):
        checks.conformance_error_envelope(None, _answer(400, headers, body), None)


def test_secrets_come_from_the_profile_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile_path = tmp_path / "profile.toml"
    profile_path.write_text('secrets = ["hunter2-hunter2"]\n', encoding="utf-8")
    monkeypatch.setenv("CONFORMANCE_PROFILE", str(profile_path))
    checks.cli_checks.cache_clear()
    try:
        checks.conformance_no_secrets(None, _answer(200, {}, b'{"a": "fine"}'), None)
        with pytest.raises(AssertionError, match="LIFE-02"):
            checks.conformance_no_secrets(None, _answer(200, {}, b'{"a": "hunter2-hunter2"}'), None)
    finally:
        checks.cli_checks.cache_clear()


def test_unstated_rules_are_filtered() -> None:
    class Failure:
        checks = ("positive_data_acceptance",)

    refused = b'{"details": [{"msg": "password and confirm_password must match"}]}'
    assert not hooks.filter_failure(None, Failure(), None, _answer(422, {}, refused))
    assert hooks.filter_failure(None, Failure(), None, _answer(422, {}, b"{}"))
    Failure.checks = ("negative_data_rejection",)
    assert hooks.filter_failure(None, Failure(), None, _answer(422, {}, refused))


CLI_OPTIONS = (
    "--max-examples", "4", "--seed", "1", "-w", "1",
    "--exclude-path-regex", "^/stream/", "--exclude-path", "/admin/users/{user_id}",
)  # fmt: skip


def _schemathesis_cli(url: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The README's command: ``SCHEMATHESIS_HOOKS=schemathesis_conformance schemathesis run``."""
    command = [str(Path(sys.executable).with_name("schemathesis")), "run",
               f"{url}/openapi.json", *CLI_OPTIONS]  # fmt: skip
    env = {**env, "SCHEMATHESIS_HOOKS": "schemathesis_conformance"}
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, check=False, cwd=cwd
    )


def test_cli_hooks_pass_on_the_served_reference_app(tmp_path: Path) -> None:
    env = reference_env(tmp_path)
    with served_reference(env) as url:
        run = _schemathesis_cli(url, env, tmp_path)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]


def test_cli_hooks_apply_the_profile_from_the_environment(tmp_path: Path) -> None:
    env = reference_env(tmp_path)
    profile_path = tmp_path / "profile.toml"
    profile_path.write_text('request_id_header = "X-Conformance-Absent"\n', encoding="utf-8")
    with served_reference(env) as url:
        run = _schemathesis_cli(url, {**env, "CONFORMANCE_PROFILE": str(profile_path)}, tmp_path)
    assert run.returncode == 1, run.stdout[-4000:]
    assert "conformance_request_id" in run.stdout
    assert "no X-Conformance-Absent on the response" in run.stdout
