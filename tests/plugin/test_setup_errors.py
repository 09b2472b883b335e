"""A check that cannot set up its situation is a setup error showing the answer it got.

No 422 to provoke (the route wants a token first), a login refused: pytest's ERROR in the
terminal and JUnit, with the status the target gave; the check's own verdict is not given,
and no other ID is blamed (an undocumented answer is OAS-06's finding, once).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from plugin_testing import run

APP = """
from fastapi import FastAPI
from fastapi.responses import JSONResponse

app = FastAPI()


@app.get("/guarded/{item_id}")
async def guarded(item_id: str):
    return JSONResponse({"detail": "Not authenticated"}, status_code=401)


@app.post("/token")
async def token():
    return JSONResponse({"detail": "Incorrect username or password"}, status_code=401)
"""

CHECKS = """
from pytest_conformance import check
from conformance import situations
from conformance.session import login


@check("ERR-03", "a 422 to judge", ref="t")
def test_validation(target, conformance_profile):
    situations.BY_NAME["validation"].run(target, conformance_profile)


@check("RBAC-01", "a token to judge", ref="t")
def test_login(client, conformance_profile):
    login(client, conformance_profile, "user")
"""

PROFILE = """
[paths]
request_context = "/guarded/{item_id}"
"""


def test_an_unreachable_situation_is_a_setup_error_with_the_status(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(target_app=APP, test_checks=CHECKS)
    pytester.makefile(".toml", profile=PROFILE)
    result = run(
        pytester, "--target-app=target_app:app", "--profile=profile.toml", "--junitxml=junit.xml"
    )
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*could not provoke the 'validation' error: the target answered 401 instead",
            "*expected: status 422",
            "*could not log in as *",
        ],
        consecutive=False,
    )
    cases = ET.parse(Path(pytester.path, "junit.xml")).iter("testcase")
    assert [[child.tag for child in case] for case in cases] == [["error"], ["error"]]
