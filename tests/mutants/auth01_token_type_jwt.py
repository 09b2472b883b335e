"""The login answer says token_type "JWT" instead of "bearer"."""

import reference_app.routers.auth
from reference_app.schemas import Token
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-01"})


class JWTToken(Token):
    token_type: str = "JWT"


reference_app.routers.auth.Token = JWTToken  # type: ignore[misc]
app = reference()
