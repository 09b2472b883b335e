"""A taken username at /register is answered 400 instead of 409 Conflict."""

from starlette.exceptions import HTTPException

from tests.mutants._base import reference, rewrite_http_errors

CAUGHT_BY = frozenset({"RBAC-07"})


def no_conflict(exc: HTTPException) -> HTTPException:
    return HTTPException(400, str(exc.detail), exc.headers) if exc.status_code == 409 else exc


app = reference()
rewrite_http_errors(app, no_conflict)
