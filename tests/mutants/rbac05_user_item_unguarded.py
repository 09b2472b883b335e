"""GET /users/{user_id} was added beside the users router, without its admin guard: any
logged-in user reads any user."""

from fastapi import APIRouter, HTTPException

from reference_app.auth import CurrentUserDep
from reference_app.database import SessionDep
from reference_app.models import User
from reference_app.routers.users import UserOut
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"RBAC-05"})

router = APIRouter()


@router.get("/users/{user_id}", response_model=UserOut)
async def unguarded(user_id: int, session: SessionDep, _: CurrentUserDep) -> UserOut:
    user = await session.get(User, user_id)
    if user is None:
        raise HTTPException(404, "User not found")
    return UserOut.model_validate(user)


app = reference()
shadow_routes(app, router)
