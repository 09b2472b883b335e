"""Checks with one case per declared operation: each case its own item, read at collection."""

from __future__ import annotations

import json

import pytest
from plugin_testing import run_inline

APP = """
from fastapi import Depends, FastAPI
from fastapi.security import OAuth2PasswordBearer

app = FastAPI()
scheme = OAuth2PasswordBearer(tokenUrl="login")


@app.get("/open")
def open_route():
    return {}


@app.get("/secret/{thing_id}")
def secret(thing_id: int, token: str = Depends(scheme)):
    return {"thing_id": thing_id}


@app.delete("/secret/{thing_id}")
def forget(thing_id: int, token: str = Depends(scheme)):
    return None
"""

CHECKS = """
from pytest_conformance import check


@check("AUTH-09", "every secured operation is named", ref="ANY")
def test_secured(secured_operation, declared_model):
    assert secured_operation.secured
    assert declared_model.find(secured_operation.method, secured_operation.template)


@check("STREAM-06", "no stream is declared", ref="ANY")
def test_streams(stream_operation):
    raise AssertionError("never runs: the app declares no stream")
"""


def test_each_declared_operation_is_its_own_item(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(target_app=APP, test_checks=CHECKS)
    path = pytester.path / "report.json"
    result = run_inline(
        pytester, "--target-app=target_app:app", f"--conformance-report={path}", "-rs"
    )
    result.assert_outcomes(passed=2, skipped=1)
    report = json.loads(path.read_text(encoding="utf-8"))
    names = sorted(entry["nodeid"].split("[", 1)[1] for entry in report["checks"])
    assert names == [
        "AUTH-09-DELETE /secret/{thing_id}]",
        "AUTH-09-GET /secret/{thing_id}]",
        "STREAM-06-none]",
    ]
    outcomes = {entry["nodeid"].split("[", 1)[1]: entry["outcome"] for entry in report["checks"]}
    assert outcomes["STREAM-06-none]"] == "not_applicable"
    result.stdout.fnmatch_lines(["*not applicable: the target's document declares no streamed*"])


def test_without_a_document_the_check_is_not_applicable(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(target_app=APP, test_checks=CHECKS)
    pytester.makefile(".toml", profile="[capabilities]\nopenapi = false\n")
    result = run_inline(pytester, "--target-app=target_app:app", "--profile=profile.toml", "-rs")
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(["*not applicable: the profile says the target serves no OpenAPI*"])


def test_selecting_one_case_by_keyword(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(target_app=APP, test_checks=CHECKS)
    result = run_inline(pytester, "--target-app=target_app:app", "-k", "AUTH-09 and DELETE")
    result.assert_outcomes(passed=1, deselected=5)  # the three findings items too
