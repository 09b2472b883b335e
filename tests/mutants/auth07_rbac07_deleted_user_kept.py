"""The user is not re-read from the database: a deleted user's token keeps working."""

from typing import Annotated

from fastapi import Depends

from reference_app.auth import CurrentUser, get_current_user, oauth2_scheme, unauthorized
from reference_app.dependencies import SettingsDep
from reference_app.security import InvalidTokenError, decode_access_token
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-07", "AUTH-09", "RBAC-07"})


async def trusting(
    token: Annotated[str | None, Depends(oauth2_scheme)], settings: SettingsDep
) -> CurrentUser:
    if not token:
        raise unauthorized("Not authenticated")
    try:
        claims = decode_access_token(token, settings)
    except InvalidTokenError:
        raise unauthorized("Could not validate credentials") from None
    return CurrentUser(id=0, username=claims.subject, roles=claims.roles)


app = reference()
app.dependency_overrides[get_current_user] = trusting
