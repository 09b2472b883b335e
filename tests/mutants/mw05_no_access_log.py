"""The access-log middleware is left out."""

from reference_app.middleware.access_log import AccessLogMiddleware
from tests.mutants._base import reference, replace_middleware

CAUGHT_BY = frozenset({"MW-05"})

app = reference()
replace_middleware(app, AccessLogMiddleware, None)
