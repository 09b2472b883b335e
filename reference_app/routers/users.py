"""The admin users router and the reports view (RBAC-04, RBAC-05).

The ``admin`` requirement sits on the router, so a route added to it later cannot be
reached without the role. ``GET /users/me`` lives on the auth router, which the factory
includes first, so ``/users/{user_id}`` never shadows it (RBAC-06).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from reference_app.auth import CurrentUser, require_role
from reference_app.database import SessionDep
from reference_app.ids import DbId
from reference_app.models import User
from reference_app.schemas import error_responses


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    email: str
    active: bool


class Reports(BaseModel):
    reports: list[str]
    viewer: str


router = APIRouter(
    prefix="/users",
    tags=["users"],
    dependencies=[Depends(require_role("admin"))],
    responses=error_responses(401, 403),
)


@router.get("/", response_model=list[UserOut])
async def list_users(session: SessionDep) -> list[UserOut]:
    users = await session.scalars(select(User).order_by(User.id))
    return [UserOut.model_validate(user) for user in users]


@router.get("/{user_id}", response_model=UserOut, responses=error_responses(404))
async def get_user(user_id: DbId, session: SessionDep) -> UserOut:
    user = await session.get(User, user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "User not found")
    return UserOut.model_validate(user)


reports_router = APIRouter(tags=["reports"])

REPORTS = ["daily-sales", "weekly-signups", "monthly-churn"]


@reports_router.get("/reports", response_model=Reports, responses=error_responses(401, 403))
async def read_reports(
    viewer: Annotated[CurrentUser, Depends(require_role("admin", "analyst"))],
) -> Reports:
    return Reports(reports=REPORTS, viewer=viewer.username)
