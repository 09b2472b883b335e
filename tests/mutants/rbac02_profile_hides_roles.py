"""/profile always answers an empty roles list."""

from pydantic import field_validator

import reference_app.routers.auth
from reference_app.schemas import Profile
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"RBAC-02"})


class RolelessProfile(Profile):
    @field_validator("roles")
    @classmethod
    def _drop(cls, value: list[str]) -> list[str]:
        return []


reference_app.routers.auth.Profile = RolelessProfile  # type: ignore[misc]
app = reference()
