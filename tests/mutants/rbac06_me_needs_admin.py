"""/users/me inherits the users router's admin requirement."""

from typing import Annotated

from fastapi import APIRouter, Depends

from reference_app.auth import CurrentUser, require_role
from reference_app.schemas import Username
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"RBAC-06"})

router = APIRouter()


@router.get("/users/me", response_model=Username)
async def admins_only(user: Annotated[CurrentUser, Depends(require_role("admin"))]) -> Username:
    return Username(username=user.username)


app = reference()
shadow_routes(app, router)
