"""The envelope styles a profile can name, on answers built by hand (issue 7)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pytest_conformance.envelopes import STYLES

from conformance.assertions.envelope import assert_envelope, assert_error_code

Style = str

REQUEST = httpx.Request("GET", "http://target/x")


def answer(status: int, body: Any = None, *, text: str | None = None,
           media: str = "application/json") -> httpx.Response:  # fmt: skip
    if text is not None:
        return httpx.Response(status, text=text, headers={"content-type": media}, request=REQUEST)
    response = httpx.Response(status, json=body, request=REQUEST)
    response.headers["content-type"] = media
    return response


GOOD: list[tuple[Style, httpx.Response, Any, Any]] = [
    ("tutorial", answer(404, {"error_code": "NOT_FOUND", "message": "Not Found", "details": None}),
     "Not Found", None),
    ("rfc9457", answer(404, {"type": "about:blank", "title": "Not Found", "status": 404,
                             "detail": "No item"}, media="application/problem+json"),
     "No item", None),
    ("fastapi", answer(404, {"detail": "Item not found"}), "Item not found", None),
    ("fastapi", answer(422, {"detail": [{"loc": ["body", "price"], "msg": "m", "type": "t"}]}),
     None, [{"loc": ["body", "price"], "msg": "m", "type": "t"}]),
    ("errors-list", answer(400, {"errors": [{"code": "invalid", "field": "price",
                                             "message": "must be a number"}]}),
     "must be a number", [{"code": "invalid", "field": "price", "message": "must be a number"}]),
    ("errors-list", answer(404, {"errors": ["Not found"]}), "Not found", ["Not found"]),
    ("text", answer(404, text="Not Found\n", media="text/plain"), "Not Found", None),
    ("errors-map", answer(422, {"errors": {"body": ["can't be empty"]}}), "can't be empty",
     {"body": ["can't be empty"]}),
]  # fmt: skip


@pytest.mark.parametrize(("style", "response", "message", "details"), GOOD)
def test_each_style_reads_its_body(style: Style, response: httpx.Response, message: Any,
                                   details: Any) -> None:  # fmt: skip
    envelope = assert_envelope(response, style)
    assert envelope.message == message
    assert envelope.details == details
    assert_error_code(response, style)  # a no-op for styles without a code


BAD: list[tuple[Style, httpx.Response, str]] = [
    ("tutorial", answer(404, {"detail": "Not Found"}), "error_code"),
    ("fastapi", answer(404, {"error_code": "NOT_FOUND", "message": "x", "details": None}),
     '{"detail": str | list}'),
    ("fastapi", answer(404, text="Not Found", media="text/plain"), "application/json"),
    ("errors-list", answer(404, {"errors": []}), "at least one entry"),
    ("errors-list", answer(404, {"error": "x"}), "at least one entry"),
    ("text", answer(404, {"detail": "x"}), "text/plain"),
    ("text", answer(404, text="  ", media="text/plain"), "non-empty"),
    ("rfc9457", answer(404, {"detail": "x"}, media="application/problem+json"), "title"),
    ("errors-map", answer(404, {"errors": ["x"]}), "{<field>: [message, ...]}"),
]  # fmt: skip


@pytest.mark.parametrize(("style", "response", "expected"), BAD)
def test_each_style_refuses_other_bodies(style: Style, response: httpx.Response,
                                         expected: str) -> None:  # fmt: skip
    with pytest.raises(AssertionError, match="ERR-01") as failure:
        assert_envelope(response, style)
    assert expected in str(failure.value)


def test_every_style_is_exercised_both_ways() -> None:
    assert {style for style, *_ in GOOD} == set(STYLES) == {style for style, *_ in BAD}


@pytest.mark.parametrize(
    ("style", "details", "loc", "problem"),
    [
        ("tutorial", [{"loc": ["body", "price"], "msg": "m", "type": "t"}], ["body", "price"],
         None),
        ("tutorial", [{"loc": ["body", "name"], "msg": "m", "type": "t"}], ["body", "price"],
         "loc == ['body', 'price']"),
        ("tutorial", [{"loc": "price"}], ["body", "price"], "{loc: list, msg: str, type: str}"),
        ("errors-list", [{"field": "price", "message": "bad"}], ["body", "price"], None),
        ("errors-list", [{"field": "name", "message": "bad"}], ["body", "price"], "'price'"),
        ("errors-map", {"price": ["must be a number"]}, ["body", "price"], None),
        ("errors-map", {"body": ["price must be a number"]}, ["body", "price"], None),
        ("errors-map", {"name": ["too long"]}, ["body", "price"], "a key 'price'"),
    ],
)  # fmt: skip
def test_validation_details_locate_the_field_in_each_style(
    style: str, details: Any, loc: list[str], problem: str | None
) -> None:
    found = STYLES[style].validation_problem(details, loc)
    assert (found is None) == (problem is None)
    if problem is not None and found is not None:
        assert problem in found[1]
