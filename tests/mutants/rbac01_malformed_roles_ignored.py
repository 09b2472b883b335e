"""A roles claim that is not a list of strings is read as "no roles" instead of refused."""

from jose import jwt

import reference_app.auth
from reference_app.security import InvalidTokenError, TokenClaims, reject_future_iat
from reference_app.settings import Settings
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"RBAC-01"})

_strict = reference_app.auth.decode_access_token


def lenient(token: str, settings: Settings) -> TokenClaims:
    try:
        claims = _strict(token, settings)
    except InvalidTokenError:
        key = settings.jwt_secret_key.get_secret_value()
        try:
            payload = jwt.decode(token, key, algorithms=[settings.jwt_algorithm])
        except Exception:
            raise InvalidTokenError("rejected") from None
        if not isinstance(payload.get("sub"), str) or "exp" not in payload:
            raise
        reject_future_iat(payload)
        return TokenClaims(subject=payload["sub"], roles=())  # malformed roles: no roles
    return claims


reference_app.auth.decode_access_token = lenient
app = reference()
