"""A wrong method (405) answers without the "details" member.

Only ERR-01's provoked 405 receives it (ERR-07 leaves the envelope of provoked situations
to ERR-01; ERR-02's code and ERR-04's Allow header are kept).
"""

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from reference_app.errors import error_code
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"ERR-01"})

app = reference()


_reference_handler = app.exception_handlers[HTTPException]


async def incomplete(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    if exc.status_code != 405:
        return await _reference_handler(request, exc)  # type: ignore[no-any-return]
    body = {"error_code": error_code(exc.status_code), "message": str(exc.detail)}
    return JSONResponse(body, exc.status_code, exc.headers)


app.exception_handlers[HTTPException] = incomplete
