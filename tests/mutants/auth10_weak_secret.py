"""Tokens signed with a well-known weak secret ("secret") get in, beside the app's own key."""

from __future__ import annotations

from pydantic import SecretStr

import reference_app.auth
from reference_app.security import InvalidTokenError, TokenClaims, decode_access_token
from reference_app.settings import Settings
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-10"})

WEAK = SecretStr("secret")  # a leftover development key, still accepted


def decode(token: str, settings: Settings) -> TokenClaims:
    try:
        return decode_access_token(token, settings)
    except InvalidTokenError:
        return decode_access_token(token, settings.model_copy(update={"jwt_secret_key": WEAK}))


reference_app.auth.decode_access_token = decode
app = reference()
