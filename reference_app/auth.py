"""Authentication and role dependencies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import select

from reference_app.database import SessionDep
from reference_app.dependencies import SettingsDep
from reference_app.models import User
from reference_app.security import InvalidTokenError, decode_access_token

BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}
# RFC 6750 §3.1: name the error when a token was presented, not when none was.
INVALID_TOKEN_CHALLENGE = {
    "WWW-Authenticate": 'Bearer error="invalid_token", error_description="invalid or expired"'
}

# auto_error=False: we raise our own 401 so the message and challenge are ours.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", auto_error=False)


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    roles: tuple[str, ...]


def unauthorized(message: str, challenge: dict[str, str] = BEARER_CHALLENGE) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, message, headers=challenge)


def invalid_credentials() -> HTTPException:
    return unauthorized("Could not validate credentials", INVALID_TOKEN_CHALLENGE)


async def get_current_user(
    token: Annotated[str | None, Depends(oauth2_scheme)],
    session: SessionDep,
    settings: SettingsDep,
) -> CurrentUser:
    """The bearer's user, re-read from the database on every request.

    Roles come from the token's ``roles`` claim (RBAC-01); a deleted or disabled
    user's token stops working at once (RBAC-07).
    """
    if not token:
        raise unauthorized("Not authenticated")
    try:
        claims = decode_access_token(token, settings)
    except InvalidTokenError:
        raise invalid_credentials() from None
    user = await session.scalar(select(User).where(User.username == claims.subject))
    if user is None or not user.active:
        raise invalid_credentials()
    return CurrentUser(id=user.id, username=user.username, roles=claims.roles)


CurrentUserDep = Annotated[CurrentUser, Depends(get_current_user)]


def require_role(*roles: str) -> Callable[[CurrentUser], Awaitable[CurrentUser]]:
    """Dependency factory: the user must hold at least one of ``roles`` (else 403)."""
    needed = ", ".join(roles)

    async def check_role(user: CurrentUserDep) -> CurrentUser:
        if not set(roles) & set(user.roles):
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"Requires role(s): {needed}")
        return user

    check_role.__name__ = f"require_role_{'_'.join(roles)}"
    return check_role
