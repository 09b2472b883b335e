"""A request without credentials is told "Missing token" instead of "Not authenticated"."""

import reference_app.auth
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-06"})

_unauthorized = reference_app.auth.unauthorized


def renamed(message: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
    text = "Missing token" if message == "Not authenticated" else message
    return _unauthorized(text, *args, **kwargs)  # type: ignore[arg-type]


reference_app.auth.unauthorized = renamed
app = reference()
