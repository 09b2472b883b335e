"""Every response a check receives is judged: OAS-06 (the target's document), LIFE-02 (secrets).

A violation fails no check that received it: it is a finding of OAS-06 or LIFE-02,
reported once under that ID (tests/plugin/test_findings.py has the counting and xdist).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from plugin_testing import ALL_MODES, run

SECRET = "very-secret-value-0123456789-abcdefghij"

# A FastAPI app whose document declares less than some of its answers do.
APP = f'''
import anyio
from fastapi import FastAPI
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel


class Thing(BaseModel):
    id: int
    name: str


def build(openapi_url="/openapi.json"):
    app = FastAPI(openapi_url=openapi_url)

    @app.get("/things/special", response_model=list[str])
    async def special():
        return ["a", "b"]

    @app.get("/things/{{thing_id}}", response_model=Thing,
             responses={{404: {{"description": "no such thing"}}}})
    async def thing(thing_id: int):
        if thing_id == 418:
            return JSONResponse({{"detail": "a teapot"}}, status_code=418)
        if thing_id == 404:
            return JSONResponse({{"detail": "no such thing"}}, status_code=404)
        if thing_id == 2:
            return JSONResponse({{"id": "two", "name": "second"}})
        return {{"id": thing_id, "name": "thing"}}

    @app.get("/hidden", include_in_schema=False)
    async def hidden():
        return JSONResponse({{"anything": "goes"}}, status_code=418)

    @app.get("/leak")
    async def leak() -> dict[str, str]:
        return {{"config": "{SECRET}"}}

    @app.get("/lines", responses={{200: {{"content": {{"application/x-ndjson": {{}}}}}}}})
    async def lines():
        async def forever():
            yield b'{{"n": 0}}\\n'
            yield b'{{"n": "not checked: a stream"}}\\n'
            yield b'{{"leak": "{SECRET[:10]}'
            yield b'{SECRET[10:]}"}}\\n'
            while True:
                await anyio.sleep(0.05)
                yield b'{{"n": 1}}\\n'

        return StreamingResponse(forever(), media_type="application/x-ndjson")

    return app


app = build()
undocumented = build(openapi_url=None)
'''

CHECKS = """
from pytest_conformance import check


@check("ERR-01", "an undeclared status", ref="t")
def test_undeclared_status(client):
    assert client.get("/things/418").status_code == 418


@check("ERR-02", "a body that breaks its schema", ref="t")
def test_bad_body(client):
    assert client.get("/things/2").status_code == 200


@check("ERR-03", "documented answers and undocumented probes", ref="t")
def test_conforming(client):
    assert client.get("/things/1").json() == {"id": 1, "name": "thing"}
    assert client.get("/things/404").status_code == 404
    assert client.get("/things/special").json() == ["a", "b"]
    assert client.get("/hidden").status_code == 418
    assert client.get("/nowhere").status_code == 404
    assert client.delete("/things/1").status_code == 405


@check("ERR-04", "an endless stream read in part", ref="t")
def test_stream_read_in_part(client):
    with client.stream("GET", "/lines") as response:
        lines = response.iter_lines()
        assert next(lines) == '{"n": 0}'
"""


def _report(pytester: pytest.Pytester) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(pytester.path, "report.json").read_text())
    return data


def _run(
    pytester: pytest.Pytester, *args: str, profile: str = "", findings: bool = False
) -> pytest.RunResult:
    pytester.makefile(".toml", profile=profile)
    return run(
        pytester,
        "--conformance-report=report.json",
        "--profile=profile.toml",
        *args,
        findings=findings,
    )


# The findings of OAS-06 and LIFE-02; ERR-07 (the envelope) is left out: /hidden's body is
# in another envelope than the other answers, on purpose for OAS-06, not for ERR-07.
FINDINGS = ("-k", "not ERR-07")


@pytest.fixture
def app_project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(target_app=APP, test_checks=CHECKS)
    return pytester


@pytest.mark.parametrize("mode", ALL_MODES)
def test_violations_are_oas06_findings_not_the_receiving_checks(
    app_project: pytest.Pytester, mode: str
) -> None:
    result = _run(app_project, *ALL_MODES[mode], *FINDINGS, findings=True)
    result.assert_outcomes(passed=4, failed=2, skipped=1, deselected=1)  # LIFE-02: no secrets
    report = _report(app_project)
    assert report["failed_ids"] == ["OAS-06"]
    output = result.stdout.str()
    result.stdout.fnmatch_lines(
        [
            "OAS-06 GET /things/{thing_id}: the response does not match the OpenAPI document",
            "*expected: a status the operation declares (200, 404, 422)",
            "*received: status 418",
        ]
    )
    assert "at $.id: 'two' is not of type 'integer'" in output
    assert "/hidden" not in output and "/nowhere" not in output and "special" not in output
    by_id = {(check["id"], check["outcome"]) for check in report["checks"]}
    assert ("ERR-01", "passed") in by_id and ("ERR-02", "passed") in by_id
    assert report["summary"]["OAS"] == {"failed": 2}
    assert report["summary"]["ERR"] == {"passed": 4}


def test_the_switch_turns_validation_off(app_project: pytest.Pytester) -> None:
    profile = "[openapi]\nvalidate_responses = false\n"
    result = _run(
        app_project, "--target-app=target_app:app", *FINDINGS, "-rs", profile=profile,
        findings=True,
    )  # fmt: skip
    result.assert_outcomes(passed=4, skipped=2, deselected=1)
    result.stdout.fnmatch_lines(["*OAS-06: response validation is off*"])


def test_a_check_failing_on_its_own_keeps_its_id(app_project: pytest.Pytester) -> None:
    app_project.makepyfile(
        test_checks="""
from pytest_conformance import check


@check("ERR-01", "fails twice", ref="t")
def test_both(client):
    client.get("/things/418")
    assert False, "the check's own reason"
"""
    )
    result = _run(app_project, "--target-app=target_app:app", *FINDINGS, findings=True)
    result.assert_outcomes(failed=2, skipped=1, deselected=1)  # the check, and OAS-06's 418
    assert _report(app_project)["failed_ids"] == ["ERR-01", "OAS-06"]
    result.stdout.fnmatch_lines(["*the check's own reason*", "*received: status 418*"])


def test_a_missing_document_fails_no_check_but_is_told(app_project: pytest.Pytester) -> None:
    result = _run(
        app_project, "--target-app=target_app:undocumented", *FINDINGS, "-rs", findings=True
    )
    result.assert_outcomes(passed=4, skipped=2, deselected=1)
    result.stdout.fnmatch_lines(
        [
            "OAS-06 the target's OpenAPI document (GET /openapi.json) cannot be used*status 404*",
            "*conformance/findings::OAS-06: OAS-06 the target's OpenAPI document*status 404*",
        ]
    )


def test_a_secret_in_any_body_fails_as_life02(app_project: pytest.Pytester) -> None:
    app_project.makepyfile(
        test_checks="""
from pytest_conformance import check


@check("ERR-01", "a body with a secret", ref="t")
def test_body(client):
    assert client.get("/leak").status_code == 200


@check("ERR-02", "a stream with a secret split across chunks", ref="t")
def test_stream(client):
    with client.stream("GET", "/lines") as response:
        lines = response.iter_lines()
        for _ in range(3):
            next(lines)
"""
    )
    result = _run(
        app_project, "--target-app=target_app:app", profile=f'secrets = ["{SECRET}"]',
        findings=True,
    )  # fmt: skip
    result.assert_outcomes(passed=3, failed=2, skipped=1)  # ERR-07: no error answer
    assert _report(app_project)["failed_ids"] == ["LIFE-02"]
    result.stdout.fnmatch_lines(
        [
            "LIFE-02 GET /leak: *: secrets[[]0[]] in its body",
            "LIFE-02 GET /lines: *: secrets[[]0[]] in its body (in the part of the body the check*",
        ],
        consecutive=False,
    )
    assert SECRET not in result.stdout.str() + result.stderr.str()
    assert SECRET not in Path(app_project.path, "report.json").read_text()


OAS_CHECK = ["--pyargs", "conformance.test_oas", "-k", "OAS-06"]


def test_the_oas06_check_fails_without_a_document(app_project: pytest.Pytester) -> None:
    result = _run(app_project, "--target-app=target_app:undocumented", *OAS_CHECK)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*cannot be used*status 404*"])


def test_the_oas06_check_validates_plain_gets(app_project: pytest.Pytester) -> None:
    result = _run(app_project, "--target-app=target_app:app", *OAS_CHECK)
    result.assert_outcomes(passed=1)


def test_the_oas06_check_skips_when_switched_off(app_project: pytest.Pytester) -> None:
    profile = "[openapi]\nvalidate_responses = false\n"
    result = _run(app_project, "--target-app=target_app:undocumented", *OAS_CHECK, "-rs",
                  profile=profile)  # fmt: skip
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*validate_responses = false*"])


def test_setup_answers_are_findings_too_and_provoked_ones_exempt(
    app_project: pytest.Pytester,
) -> None:
    app_project.makepyfile(
        test_checks="""
import pytest
from pytest_conformance import check


@pytest.fixture
def teapot(client):
    client.get("/things/418")


@check("ERR-01", "a fixture received it", ref="t")
def test_setup(teapot):
    pass


@check("ERR-02", "provoked on purpose", ref="t")
def test_provoked(target):
    with target.client(validate=False) as client:
        assert client.get("/things/418").status_code == 418
"""
    )
    result = _run(app_project, "--target-app=target_app:app", *FINDINGS, findings=True)
    result.assert_outcomes(passed=2, failed=1, skipped=1, deselected=1)
    report = _report(app_project)
    assert report["failed_ids"] == ["OAS-06"]
    (finding,) = [check for check in report["checks"] if check["id"] == "OAS-06"]
    assert finding["details"]["count"] == 1  # the fixture's; the provoked one is exempt
    result.stdout.fnmatch_lines(["FAILED conformance/findings::OAS-06[[]GET /things/*418*"])


SUB_APP = """
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel


class Thing(BaseModel):
    id: int


app = FastAPI()
v1 = FastAPI(servers=[{"url": "/v1"}])


@v1.get("/things/{thing_id}", response_model=Thing)
async def thing(thing_id: int):
    return JSONResponse({"id": "not a number"})


app.mount("/v1", v1)
"""

SUB_APP_CHECK = """
from pytest_conformance import check


@check("VER-01", "a sub-app answer", ref="t")
def test_sub_app(client):
    assert client.get("/v1/things/1").status_code == 200
"""


@pytest.mark.parametrize(
    ("profile", "failed_ids"),
    [
        ('[openapi]\nsub_app_documents = ["/v1/openapi.json"]\n', ["OAS-06"]),
        ("[capabilities]\nsub_apps = false\n", []),
    ],
)
def test_sub_app_answers_are_judged_by_their_own_document(
    pytester: pytest.Pytester, profile: str, failed_ids: list[str]
) -> None:
    pytester.makepyfile(target_app=SUB_APP, test_checks=SUB_APP_CHECK)
    _run(pytester, "--target-app=target_app:app", profile=profile, findings=True)
    assert _report(pytester)["failed_ids"] == failed_ids
