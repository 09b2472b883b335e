"""/users/me answers with the username in capitals, not the token's user."""

from pydantic import field_validator

import reference_app.routers.auth
from reference_app.schemas import Username
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-05"})


class Shouted(Username):
    @field_validator("username")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


reference_app.routers.auth.Username = Shouted  # type: ignore[misc]
app = reference()
