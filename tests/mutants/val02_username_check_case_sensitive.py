"""The username-in-password rule only catches the username in its own casing."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, EmailStr, Field, model_validator

from reference_app.database import SessionDep
from reference_app.routers import register as reference_register
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"VAL-02"})


class Registration(BaseModel):
    username: str = Field(min_length=3, max_length=50)
    password: str = Field(min_length=8, max_length=128)
    confirm_password: str
    email: EmailStr

    @model_validator(mode="after")
    def _passwords(self) -> Registration:
        if self.password != self.confirm_password:
            raise ValueError("password and confirm_password must match")
        if self.username in self.password:
            raise ValueError("password must not contain username")
        return self


router = APIRouter()


@router.post("/register", status_code=201, response_model=reference_register.Registered)
async def register(
    payload: Registration, session: SessionDep, request: Request, response: Response
) -> reference_register.Registered:
    checked = reference_register.Registration.model_construct(**payload.model_dump())
    return await reference_register.register(checked, session, request, response)


app = reference()
shadow_routes(app, router)
