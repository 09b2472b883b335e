"""422 answers keep the envelope but say "Unprocessable Entity" and stringify the details."""

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import Response

from reference_app.errors import error_response
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"ERR-03"})

app = reference()


async def sloppy(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return error_response("tutorial", 422, "Unprocessable Entity", str(exc.errors()))


app.exception_handlers[RequestValidationError] = sloppy
