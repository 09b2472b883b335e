"""A token that is not a JWT at all crashes the decoder: a 500 instead of a 401."""

import reference_app.auth
from reference_app.security import TokenClaims
from reference_app.settings import Settings
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-07", "AUTH-09", "OAS-06"})  # its 500s are not in the document

_decode = reference_app.auth.decode_access_token


def fragile(token: str, settings: Settings) -> TokenClaims:
    if token.count(".") != 2:
        raise ValueError(f"not a JWT: {token!r}")
    return _decode(token, settings)


reference_app.auth.decode_access_token = fragile
app = reference()
