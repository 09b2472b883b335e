"""An empty bearer token is told "Invalid authorization header": neither message SPEC allows."""

from fastapi import FastAPI, Request, Response
from starlette.exceptions import HTTPException

from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-06"})

app: FastAPI = reference()
_original = app.exception_handlers[HTTPException]


async def _handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 401 and request.headers.get("authorization", "").strip() == "Bearer":
        exc = HTTPException(401, "Invalid authorization header", headers=exc.headers)
    return await _original(request, exc)  # type: ignore[no-any-return]


app.exception_handlers[HTTPException] = _handler
