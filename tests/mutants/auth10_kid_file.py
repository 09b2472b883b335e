"""A token's ``kid`` header names the file its key is read from (RFC 8725 §3.10's warning):
``kid: ../../dev/null`` makes the key empty, and a token signed with "" gets in."""

from __future__ import annotations

from pathlib import Path

from jose import JWTError, jwt
from pydantic import SecretStr

import reference_app.auth
from reference_app.security import InvalidTokenError, TokenClaims, decode_access_token
from reference_app.settings import Settings
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-10"})


def decode(token: str, settings: Settings) -> TokenClaims:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        if isinstance(kid, str) and kid:
            key = SecretStr(Path(kid).read_text(encoding="utf-8", errors="replace"))
            settings = settings.model_copy(update={"jwt_secret_key": key})
    except (OSError, ValueError, JWTError) as error:
        raise InvalidTokenError("no key") from error
    return decode_access_token(token, settings)


reference_app.auth.decode_access_token = decode
app = reference()
