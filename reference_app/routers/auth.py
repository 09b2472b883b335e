"""Token endpoint and the authenticated user's views (AUTH, RBAC)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select

from reference_app.auth import CurrentUser, CurrentUserDep, require_role, unauthorized
from reference_app.database import SessionDep
from reference_app.dependencies import SettingsDep
from reference_app.ids import DbId
from reference_app.models import User
from reference_app.schemas import Deleted, Profile, Token, Username, error_responses
from reference_app.security import create_access_token, verify_password_async

router = APIRouter()

AUTH_ERRORS = error_responses(401)


@router.post("/token", response_model=Token, responses=AUTH_ERRORS)
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
) -> Token:
    # RFC 6749 §5.1: token answers must not be cached.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    user = await session.scalar(select(User).where(User.username == form.username))
    valid = await verify_password_async(form.password, user.hashed_password if user else None)
    if user is None or not valid or not user.active:
        # Same answer and same cost for an unknown user and a wrong password (AUTH-02).
        raise unauthorized("Incorrect username or password")
    return Token(access_token=create_access_token(user.username, user.roles, settings))


@router.get("/users/me", response_model=Username, responses=AUTH_ERRORS)
async def read_me(user: CurrentUserDep) -> Username:
    return Username(username=user.username)


@router.get("/profile", response_model=Profile, responses=AUTH_ERRORS)
async def read_profile(user: CurrentUserDep) -> Profile:
    return Profile(username=user.username, roles=list(user.roles))


@router.delete(
    "/admin/users/{user_id}",
    response_model=Deleted,
    responses=error_responses(401, 403, 404),
)
async def delete_user(
    user_id: DbId,
    admin: Annotated[CurrentUser, Depends(require_role("admin"))],
    session: SessionDep,
) -> Deleted:
    user = await session.get(User, user_id)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "User not found")
    await session.delete(user)
    return Deleted(deleted=user_id, by=admin.username)
