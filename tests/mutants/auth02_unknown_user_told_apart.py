"""An unknown username gets its own message, so usernames can be enumerated."""

import reference_app.routers.auth
from reference_app.auth import unauthorized
from reference_app.security import verify_password_async
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-02"})


async def telling_verify(password: str, hashed: str | None) -> bool:
    valid = await verify_password_async(password, hashed)  # same cost as the reference
    if hashed is None:
        raise unauthorized("Unknown user")
    return valid


reference_app.routers.auth.verify_password_async = telling_verify
app = reference()
