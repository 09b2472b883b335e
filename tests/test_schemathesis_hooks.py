"""The schemathesis extension applies our assertions to generated answers."""

from __future__ import annotations

from typing import ClassVar

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from schemathesis_conformance import checks


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
