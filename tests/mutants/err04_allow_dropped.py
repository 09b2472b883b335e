"""The 405 answer loses its Allow header (other raiser headers survive)."""

from starlette.exceptions import HTTPException

import reference_app.errors
from tests.mutants._base import reference, rewrite_http_errors

CAUGHT_BY = frozenset({"ERR-04"})


def without_allow(exc: HTTPException) -> HTTPException:
    if exc.status_code != 405:
        return exc
    return HTTPException(405, str(exc.detail))


# The handler would otherwise rebuild Allow from the routes.
reference_app.errors.allowed_methods = lambda request: []
app = reference()
rewrite_http_errors(app, without_allow)
