"""The envelope styles a profile can name, on answers built by hand (issue 7)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from conformance.assertions.envelope import Style, assert_envelope, assert_error_code

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
]  # fmt: skip


@pytest.mark.parametrize(("style", "response", "expected"), BAD)
def test_each_style_refuses_other_bodies(style: Style, response: httpx.Response,
                                         expected: str) -> None:  # fmt: skip
    with pytest.raises(AssertionError, match="ERR-01") as failure:
        assert_envelope(response, style)
    assert expected in str(failure.value)
