"""Request and response bodies shared by the routers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorEnvelope(BaseModel):
    """The tutorial-style error body (ERR-01); documented on error responses."""

    error_code: str
    message: str
    details: Any = None


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class Username(BaseModel):
    username: str


class Profile(BaseModel):
    username: str
    roles: list[str]


class Deleted(BaseModel):
    deleted: int
    by: str


class ItemCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    price: float = Field(gt=0, allow_inf_nan=False, strict=True)  # strict: no booleans
    description: str | None = Field(default=None, max_length=500)


class ItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    price: float
    description: str | None = None


class ItemPage(BaseModel):
    items: list[ItemOut]
    skip: int
    limit: int


def error_responses(*status_codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for errors a route can answer."""
    return {code: {"model": ErrorEnvelope} for code in status_codes}
