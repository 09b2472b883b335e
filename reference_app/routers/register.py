"""Self-registration (VAL-01, VAL-02, RBAC-07): new users get the ``user`` role."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, EmailStr, Field, model_validator
from sqlalchemy.exc import IntegrityError

from reference_app.database import SessionDep
from reference_app.models import User
from reference_app.schemas import error_responses
from reference_app.security import hash_password


class Registration(BaseModel):
    username: str = Field(min_length=3, max_length=50, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(min_length=8, max_length=128)
    confirm_password: str
    email: EmailStr

    @model_validator(mode="after")
    def _passwords(self) -> Registration:
        if self.password != self.confirm_password:
            raise ValueError("password and confirm_password must match")
        if self.username.lower() in self.password.lower():
            raise ValueError("password must not contain username")
        return self


class Registered(BaseModel):
    id: int
    username: str
    email: str


router = APIRouter(tags=["users"])


@router.post(
    "/register",
    response_model=Registered,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(409),
)
async def register(
    payload: Registration, session: SessionDep, request: Request, response: Response
) -> Registered:
    hashed = await anyio.to_thread.run_sync(hash_password, payload.password)
    user = User(
        username=payload.username,
        email=str(payload.email),
        hashed_password=hashed,
        roles=["user"],
        active=True,
    )
    session.add(user)
    try:
        await session.flush()
    except IntegrityError:
        raise HTTPException(status.HTTP_409_CONFLICT, "Username already registered") from None
    response.headers["Location"] = request.app.url_path_for("get_user", user_id=user.id)
    return Registered(id=user.id, username=user.username, email=user.email)
