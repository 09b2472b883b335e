"""The tutorial's handler: the envelope is right but the raiser's headers are lost.

Every check that relies on a raiser's header notices: the 401 challenges of AUTH, the
Retry-After of RATE, and ERR-04 itself.
"""

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.responses import Response

from reference_app.errors import error_response
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-02", "AUTH-06", "AUTH-07", "AUTH-09", "ERR-04", "RATE-01", "RATE-02"})

app = reference()


async def drops_headers(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response("tutorial", exc.status_code, str(exc.detail))


app.exception_handlers[HTTPException] = drops_headers
