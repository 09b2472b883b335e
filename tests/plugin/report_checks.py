"""A pytester check module with one of each outcome, for the report-file tests."""

from __future__ import annotations

CHECKS = """
import httpx
import pytest
from conformance.assertions.describe import mismatch
from pytest_conformance import check


def _answer(path, status, body, **headers):
    request = httpx.Request("GET", f"http://testserver{path}")
    return httpx.Response(status, headers=headers, text=body, request=request)


@check("ERR-01", "the error envelope", ref="Ex 51")
def test_passes():
    pass


@check("ERR-02", "the error code is the status name", ref="Ex 52; RFC 9110 §15")
def test_contract_failure():
    answer = _answer("/items/42", 404, '{"detail": "Not Found"}', **{"x-request-id": "abc"})
    mismatch("GET /items/42", "a 404 with code NOT_FOUND", answer, hint="name the status")


@check("AUTH-01", "the token answer is not cached", ref="RFC 6749 §5.1", level="strict")
def test_strict_note():
    answer = _answer("/token", 200, '{"access_token": "x"}', **{"cache-control": "max-age=60"})
    mismatch("POST /token", "Cache-Control: no-store", answer)


@check("WS-01", "a websocket echoes", ref="Ex 90")
def test_skipped():
    pytest.skip("the profile marks websockets absent (capabilities.websockets)")


@check("PAGE-01", "pages do not overlap", ref="Ex 70")
def test_plain_failure():
    assert 1 == 2, "the page repeats an item <b>not markup</b>"
"""
