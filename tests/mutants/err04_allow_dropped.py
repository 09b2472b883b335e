"""The 405 answer loses the Allow header its raiser set (other raiser headers survive)."""

from starlette.exceptions import HTTPException

from tests.mutants._base import reference, rewrite_http_errors

CAUGHT_BY = frozenset({"ERR-04"})


def without_allow(exc: HTTPException) -> HTTPException:
    if exc.status_code != 405:
        return exc
    return HTTPException(405, str(exc.detail))


app = reference()
rewrite_http_errors(app, without_allow)
