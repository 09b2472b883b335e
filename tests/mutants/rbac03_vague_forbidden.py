"""The admin routes' 403 says only "Forbidden", not which role is needed."""

from starlette.exceptions import HTTPException

from tests.mutants._base import reference, rewrite_http_errors

CAUGHT_BY = frozenset({"RBAC-03"})


def vague(exc: HTTPException) -> HTTPException:
    if exc.detail == "Requires role(s): admin":
        return HTTPException(exc.status_code, "Forbidden", exc.headers)
    return exc


app = reference()
rewrite_http_errors(app, vague)
