"""Routing 404s (no route matched) answer without the "details" member."""

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from reference_app.errors import error_code
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"ERR-01", "ERR-07"})  # ERR-07: MW-02's unknown routes get that 404 too

app = reference()


_reference_handler = app.exception_handlers[HTTPException]


async def incomplete(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code != 404 or exc.detail != "Not Found":  # raised by a route: untouched
        return await _reference_handler(request, exc)  # type: ignore[no-any-return]
    body = {"error_code": error_code(exc.status_code), "message": str(exc.detail)}
    return JSONResponse(body, exc.status_code, exc.headers)


app.exception_handlers[HTTPException] = incomplete
