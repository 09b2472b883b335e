"""One finding, one place: OAS-06, LIFE-02 and ERR-07 findings are test items of their own.

An answer that breaks the document, carries a secret or shows another envelope fails no
check that received it; the run reports each (operation, status, kind) once, with how
often it was seen, in the terminal, JUnit and the JSON report, with and without xdist.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from plugin_testing import run

APP = """
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse, PlainTextResponse

app = FastAPI()


@app.get("/things/{thing_id}", responses={404: {"description": "no such thing"}})
async def thing(thing_id: int) -> dict[str, int]:
    if thing_id == 418:
        return JSONResponse({"detail": "a teapot"}, status_code=418)
    if thing_id == 409:
        return PlainTextResponse("conflict, in other words", status_code=409)
    if thing_id == 404:
        raise HTTPException(404, "no such thing")
    return {"id": thing_id}
"""

# Three checks receive the same undocumented 418; each passes on its own terms.
CHECKS = """
import pytest
from pytest_conformance import check


@check("ERR-01", "first receiver", ref="t")
def test_first(client):
    assert client.get("/things/418").status_code == 418


@check("ERR-02", "second receiver", ref="t")
def test_second(client):
    assert client.get("/things/418").status_code == 418


@check("DATA-01", "third receiver", ref="t")
def test_third(client):
    assert client.get("/things/418").status_code == 418
    assert client.get("/things/404").status_code == 404
"""

FINDING = "conformance/findings::OAS-06[GET /things/{thing_id} 418 status not declared]"


def _run(pytester: pytest.Pytester, *args: str, profile: str = "") -> pytest.RunResult:
    pytester.makefile(".toml", profile=profile)
    return run(
        pytester,
        "--target-app=target_app:app",
        "--profile=profile.toml",
        "--conformance-report=report.json",
        "--junitxml=junit.xml",
        "--conformance-html=report.html",
        "--conformance-sarif=report.sarif",
        "-rA",
        *args,
        findings=True,
    )


def _report(pytester: pytest.Pytester) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(pytester.path, "report.json").read_text())
    return data


def _junit(pytester: pytest.Pytester) -> dict[str, str]:
    """Each JUnit test case's name and what it says: passed, failure, skipped."""
    cases = {}
    for case in ET.parse(Path(pytester.path, "junit.xml")).iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = child.tag
        cases[f"{case.get('classname')}::{case.get('name')}"] = outcome
    return cases


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makepyfile(target_app=APP, test_checks=CHECKS)
    return pytester


@pytest.mark.parametrize("xdist", [(), ("-n", "2")], ids=["one process", "xdist"])
def test_one_undocumented_status_seen_by_three_checks_is_one_oas06_finding(
    project: pytest.Pytester, xdist: tuple[str, ...]
) -> None:
    result = _run(project, *xdist, profile='envelope = "fastapi"\n')
    # the three checks pass; OAS-06 fails once; LIFE-02 (no secrets) is skipped; ERR-07 passes
    result.assert_outcomes(passed=4, failed=1, skipped=1)
    report = _report(project)
    assert report["failed_ids"] == ["OAS-06"]
    by_node = {check["nodeid"]: check for check in report["checks"]}
    finding = by_node[FINDING]
    assert finding["outcome"] == "failed"
    assert finding["details"]["count"] == 3
    assert finding["details"]["status"] == 418
    assert "seen:     3 times in this run" in finding["message"]
    assert "received: status 418" in finding["message"]
    assert finding["failure"]["request"]["path"] == "/things/418"
    assert [c["outcome"] for c in report["checks"] if c["id"] != "OAS-06"].count("failed") == 0
    assert report["summary"]["OAS"] == {"failed": 1}
    junit = _junit(project)
    failed = [name for name, outcome in junit.items() if outcome == "failure"]
    assert len(failed) == 1 and "OAS-06[GET /things/{thing_id} 418" in failed[0], junit
    assert sum(outcome == "passed" for outcome in junit.values()) == 4, junit
    counts = [
        prop.get("value")
        for prop in ET.parse(Path(project.path, "junit.xml")).iter("property")
        if prop.get("name") == "conformance_count"
    ]
    assert counts == ["3"], counts
    result.stdout.fnmatch_lines(["FAILED conformance/findings::OAS-06[[]GET /things/*418*"])
    html = Path(project.path, "report.html").read_text()
    assert "OAS-06" in html and "seen 3 times in this run" in html
    sarif = json.loads(Path(project.path, "report.sarif").read_text())
    (found,) = sarif["runs"][0]["results"]
    assert found["ruleId"] == "OAS-06" and "3 times" in found["message"]["text"]


def test_k_selects_the_findings_of_an_id(project: pytest.Pytester) -> None:
    result = _run(project, "-k", "OAS-06 or ERR-01", profile='envelope = "fastapi"\n')
    result.assert_outcomes(passed=1, failed=1, deselected=4)
    finding = _report(project)["checks"]
    assert [(c["id"], c["details"].get("count")) for c in finding if c["id"] == "OAS-06"] == [
        ("OAS-06", 1)
    ]


def test_nothing_received_is_no_verdict(project: pytest.Pytester) -> None:
    result = _run(project, "-k", "OAS-06", profile='envelope = "fastapi"\n')
    result.assert_outcomes(skipped=1, deselected=5)  # nothing received: not a pass
    result.stdout.fnmatch_lines(["*OAS-06*no answer of the target was judged*"])


ENVELOPE_CHECKS = """
from pytest_conformance import check


@check("ERR-01", "answers in two shapes", ref="t")
def test_two_shapes(target):
    with target.client(validate=False) as client:
        for _ in range(3):
            assert client.get("/things/404").status_code == 404
        assert client.get("/things/409").status_code == 409
        assert client.get("/things/409").status_code == 409
        assert client.get("/things/not-a-number").status_code == 422
"""


@pytest.mark.parametrize("xdist", [(), ("-n", "2")], ids=["one process", "xdist"])
def test_an_error_answer_in_another_envelope_is_one_err07_finding(
    project: pytest.Pytester, xdist: tuple[str, ...]
) -> None:
    project.makepyfile(test_checks=ENVELOPE_CHECKS)
    result = _run(project, *xdist, profile='contract = "none"\n')  # no envelope declared
    result.assert_outcomes(passed=1, failed=1, skipped=2)  # OAS-06 and LIFE-02 judged nothing
    report = _report(project)
    assert report["failed_ids"] == ["ERR-07"]
    (finding,) = [c for c in report["checks"] if c["id"] == "ERR-07"]
    assert finding["nodeid"] == (
        "conformance/findings::ERR-07[GET /things/{thing_id} 409 another envelope: text]"
    )
    assert finding["details"]["count"] == 2
    assert "the fastapi envelope" in finding["message"]
    assert "shown by 4 of the run's 6 error answers" in finding["message"]


def test_the_declared_envelope_wins_over_the_run(project: pytest.Pytester) -> None:
    project.makepyfile(test_checks=ENVELOPE_CHECKS)
    _run(project, profile='contract = "none"\nenvelope = "text"\n')
    found = {c["details"].get("status") for c in _report(project)["checks"] if c["id"] == "ERR-07"}
    assert found == {404, 422}


def test_no_error_answer_is_no_verdict(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_checks="""
from pytest_conformance import check


@check("ERR-01", "only a success", ref="t")
def test_success(client):
    assert client.get("/things/1").status_code == 200
"""
    )
    result = _run(project, "-k", "ERR")
    result.assert_outcomes(passed=1, skipped=1, deselected=2)
    result.stdout.fnmatch_lines(["*ERR-07*no error answer with a body was received*"])


def test_answers_a_check_judges_itself_are_not_err07s(project: pytest.Pytester) -> None:
    """ERR-01's provoked situations judge their own envelope: one finding, one place."""
    project.makepyfile(
        test_checks=ENVELOPE_CHECKS.replace(
            "validate=False", "validate=False, envelope_judged=True"
        )
    )
    result = _run(project, "-k", "ERR", profile='contract = "none"\n')
    result.assert_outcomes(passed=1, skipped=1, deselected=2)
    result.stdout.fnmatch_lines(["*ERR-07*no error answer with a body was received*"])
