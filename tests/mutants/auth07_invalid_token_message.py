"""A rejected token is refused with the wrong message: still a 401 with the challenge
(AUTH-09's status and challenge hold on every operation), but it says "Invalid token"
where AUTH-07 promises "Could not validate credentials"."""

from fastapi import HTTPException

import reference_app.auth
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-07"})


def invalid_credentials() -> HTTPException:
    return reference_app.auth.unauthorized(
        "Invalid token", reference_app.auth.INVALID_TOKEN_CHALLENGE
    )


reference_app.auth.invalid_credentials = invalid_credentials
app = reference()
