"""Token decoders that get one JWT rule wrong, for the AUTH-07 mutants."""

from __future__ import annotations

from typing import Any

from jose import jwt

import reference_app.auth
from reference_app.security import InvalidTokenError, TokenClaims, reject_future_iat
from reference_app.settings import Settings


def install(**decode_kwargs: Any) -> None:
    """Make the app decode tokens with ``jwt.decode(**decode_kwargs)`` overrides."""

    options = {"require_exp": True, "require_sub": True, **decode_kwargs.pop("options", {})}

    def decode(token: str, settings: Settings) -> TokenClaims:
        key = settings.jwt_secret_key.get_secret_value()
        kwargs = {"algorithms": [settings.jwt_algorithm], "options": options, **decode_kwargs}
        try:
            payload = jwt.decode(token, key, **kwargs)
        except Exception as exc:
            raise InvalidTokenError("rejected") from exc
        reject_future_iat(payload)
        roles = payload.get("roles")
        if not isinstance(payload.get("sub"), str) or not isinstance(roles, list):
            raise InvalidTokenError("bad claims")
        if not all(isinstance(role, str) for role in roles):
            raise InvalidTokenError("bad claims")
        return TokenClaims(subject=payload["sub"], roles=tuple(roles))

    reference_app.auth.decode_access_token = decode
