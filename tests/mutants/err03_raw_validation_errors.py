"""422 answers keep the envelope and details but say "Unprocessable Entity"."""

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import Response

from reference_app.errors import error_response, validation_details
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"ERR-03"})

app = reference()


async def sloppy(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return error_response("tutorial", 422, "Unprocessable Entity", validation_details(exc.errors()))


app.exception_handlers[RequestValidationError] = sloppy
