"""Unknown users skip the password hash, so their answers come back much faster."""

import reference_app.routers.auth
from reference_app.security import verify_password_async
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-08"})


async def shortcut(password: str, hashed: str | None) -> bool:
    if hashed is None:
        return False
    return await verify_password_async(password, hashed)


reference_app.routers.auth.verify_password_async = shortcut
app = reference()
