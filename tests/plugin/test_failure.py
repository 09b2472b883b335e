"""Failures as data (issue 12): rendered as before, kept as fields, shortened by part."""

from __future__ import annotations

import json

import pytest
from plugin_testing import run_inline
from pytest_conformance.report.failure import ConformanceFailure, Received, Request

TARGET = "--target-url=http://127.0.0.1:9"

CHECKS = """
import httpx
from conformance.assertions.describe import mismatch
from pytest_conformance import check

BODY = '{"detail": "Not Found", "marker": "THE-BODY"}'
HEADERS = {f"x-noise-{n}": "v" * 40 for n in range(30)}


def _answer():
    request = httpx.Request("GET", "http://testserver/items/42?x=1")
    return httpx.Response(404, headers=HEADERS, text=BODY, request=request)


@check("ERR-01", "the envelope", ref="Ex 51; RFC 9110 §15.5.5")
def test_contract():
    mismatch("GET /items/42", "a 404 with the envelope", _answer(), hint="read the envelope")


@check("AUTH-01", "a strict one", ref="RFC 6749 §5.1", level="strict")
def test_strict():
    mismatch("GET /items/42", "no-store", _answer())
"""


def _failure(headers: int, body: str) -> ConformanceFailure:
    received = Received(404, [(f"x-{n}", "v" * 40) for n in range(headers)], body, len(body))
    request = Request("GET", "http://testserver/items/42", "/items/42")
    return ConformanceFailure("GET /items/42", "a 404", received=received, request=request)


def test_the_text_is_what_the_terminal_showed_and_it_is_an_assertion_error() -> None:
    failure = _failure(1, '{"detail": "x"}')
    assert isinstance(failure, AssertionError)
    assert str(failure) == (
        "GET /items/42\n  expected: a 404\n  request:  GET http://testserver/items/42\n"
        "  status:   404\n  headers:\n    x-0: " + "v" * 40 + '\n  body:     {"detail": "x"}'
    )


def test_an_excerpt_drops_headers_before_the_body() -> None:
    failure = _failure(30, "THE-BODY " + "b" * 1000)
    short = failure.excerpt(500)
    assert "THE-BODY" in short
    assert "x-0:" not in short
    assert "(30 left out)" in short
    assert len(short) <= 520
    assert failure.excerpt(10_000) == str(failure)


def test_fields_reach_the_json_report_and_strict_notes_keep_the_body(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_checks=CHECKS)
    path = pytester.path / "report.json"
    result = run_inline(pytester, TARGET, f"--conformance-report={path}", "-rx")
    result.assert_outcomes(failed=1, xfailed=1)
    result.stdout.fnmatch_lines(["*expected: a 404 with the envelope*", "*hint:     read the*"])
    checks = {entry["id"]: entry for entry in json.loads(path.read_text())["checks"]}
    failure = checks["ERR-01"]["failure"]
    assert failure["expected"] == "a 404 with the envelope"
    assert failure["request"] == {
        "method": "GET",
        "url": "http://testserver/items/42?x=1",
        "path": "/items/42",
    }
    assert failure["received"]["status"] == 404
    assert "THE-BODY" in failure["received"]["body"]
    assert ["x-noise-0", "v" * 40] in failure["received"]["headers"]
    assert failure["hint"] == "read the envelope"
    assert failure["reference"] == "Ex 51; RFC 9110 §15.5.5"
    note = checks["AUTH-01"]
    assert note["outcome"] == "strict_note"
    assert "THE-BODY" in note["message"]
    assert note["failure"]["reference"] == "RFC 6749 §5.1"


def test_websocket_failures_keep_the_messages_received() -> None:
    failure = ConformanceFailure("WS-01 echo", "the echo", messages=["a", "b"], hint="waited 2 s")
    assert str(failure) == (
        "WS-01 echo\n  expected: the echo\n  received:\n    'a'\n    'b'\n  hint:     waited 2 s"
    )
    assert failure.as_dict()["messages"] == ["a", "b"]
    assert "<none>" in str(ConformanceFailure("WS-01 echo", "the echo", messages=[]))
