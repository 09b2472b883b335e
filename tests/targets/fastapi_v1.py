"""A FastAPI app laid out like many real projects, not like the tutorial (issue 7).

- Everything under ``/api/v1`` (the OpenAPI document too); Swagger UI at ``/docs``.
- FastAPI's default error bodies ``{"detail": str | list}``; validation is 422.
- Login at ``/api/v1/login/access-token`` answers 200, bad credentials 400 (the
  full-stack-fastapi-template way; ``cookie_app`` answers 204 with the token in a cookie
  instead); a bad token is a 401 whose challenge carries parameters (``realm``, ``error``).
- Items at ``/api/v1/items/`` (trailing slash), paged by ``skip``/``limit`` as
  ``{"data": [...], "count": n}``, ``limit`` at most 100 (422 above, FastAPI's own bound).
- NDJSON served as ``application/jsonl``; SSE with ``id:`` fields; health a bare ``true``.
- No roles, registration, rate limit, sub-apps, WebSockets, request ids: its profile
  (``fastapi_v1.toml``) says so.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Query, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import StreamingResponse
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, Field, field_validator

from tests.targets._shared import ItemStore, SecurityHeaders, Tokens, User, authenticate, make_users

PREFIX = "/api/v1"
JWT_SECRET = "fastapi-v1-target-signing-key-0123456789"  # a test target's, given in its profile
TOKENS = Tokens(JWT_SECRET, lifetime_minutes=60)
USERS = make_users(
    {
        "admin@example.com": ("changethis-admin", ("admin",)),
        "user@example.com": ("changethis-user", ()),
    }
)
CHALLENGE = 'Bearer realm="fastapi-v1", error="invalid_token"'

oauth2 = OAuth2PasswordBearer(tokenUrl=f"{PREFIX}/login/access-token")
store = ItemStore()


def current_user(token: Annotated[str, Depends(oauth2)]) -> User:
    if not token:  # "Authorization: Bearer" with nothing after it
        raise HTTPException(401, "Not authenticated", {"WWW-Authenticate": "Bearer"})
    user = TOKENS.user_of(USERS, token)
    if user is None:
        raise HTTPException(401, "Could not validate credentials", {"WWW-Authenticate": CHALLENGE})
    return user


class Message(BaseModel):
    detail: str


# FastAPI answers 400 for a body it cannot decode: documented, so fuzzing finds no surprise
BAD_BODY: dict[int | str, dict[str, Any]] = {400: {"model": Message, "description": "Bad body"}}


class LoginForm(BaseModel):
    """The password grant's fields; FastAPI treats an empty form value as missing, so the
    document says minLength 1 (OAuth2PasswordRequestForm's would promise empty strings)."""

    username: str = Field(min_length=1)
    password: str = Field(min_length=1)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class UserOut(BaseModel):
    username: str
    email: str


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    price: float
    description: str | None = Field(None, max_length=500)


class ItemPatch(BaseModel):
    name: str | None = Field(None, min_length=1, max_length=100)
    price: float | None = None
    description: str | None = Field(None, max_length=500)

    @field_validator("name", "price")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may not be null")
        return value


class Item(ItemIn):
    id: int


class ItemsPage(BaseModel):
    data: list[Item]
    count: int


api = APIRouter(prefix=PREFIX)
json_login = APIRouter(prefix=PREFIX)  # 200 with the token in the body: ``app``
cookie_login = APIRouter(prefix=PREFIX)  # 204 with the token in a cookie: ``cookie_app``


@json_login.post(
    "/login/access-token",
    response_model=Token,
    tags=["login"],
    responses={400: {"model": Message, "description": "Incorrect email or password"}},
)
def login(form: Annotated[LoginForm, Form()], response: Response) -> Token:
    user = authenticate(USERS, form.username, form.password)
    if user is None:
        raise HTTPException(400, "Incorrect email or password")
    response.headers["Cache-Control"] = "no-store"
    return Token(access_token=TOKENS.issue(user))


@cookie_login.post(
    "/login/access-token",
    status_code=204,
    tags=["login"],
    responses={400: {"model": Message, "description": "Incorrect email or password"}},
)
def login_cookie(form: Annotated[LoginForm, Form()]) -> Response:
    """The same login, answered 204 with the token in a cookie (its profile can say so)."""
    user = authenticate(USERS, form.username, form.password)
    if user is None:
        raise HTTPException(400, "Incorrect email or password")
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie("access_token", TOKENS.issue(user), httponly=True, samesite="strict")
    return response


@api.get(
    "/users/me",
    response_model=UserOut,
    tags=["users"],
    responses={401: {"model": Message, "description": "Not authenticated"}},
)
def read_me(user: Annotated[User, Depends(current_user)]) -> UserOut:
    return UserOut(username=user.username, email=user.username)


@api.get("/items/", response_model=ItemsPage, tags=["items"])
def list_items(
    skip: Annotated[int, Query(ge=0)] = 0, limit: Annotated[int, Query(ge=1, le=100)] = 100
) -> ItemsPage:
    items, count = store.page(skip, limit)
    return ItemsPage(data=[Item(**item) for item in items], count=count)


@api.post("/items/", response_model=Item, status_code=201, tags=["items"], responses=BAD_BODY)
def create_item(item: ItemIn) -> Item:
    return Item(**store.create(item.name, item.price, item.description))


def _found(item: dict[str, Any] | None) -> Item:
    if item is None:
        raise HTTPException(404, "Item not found")
    return Item(**item)


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Message, "description": "No item"}}


@api.get("/items/{item_id}", response_model=Item, tags=["items"], responses=NOT_FOUND)
def read_item(item_id: int) -> Item:
    return _found(store.get(item_id))


@api.patch(
    "/items/{item_id}", response_model=Item, tags=["items"], responses={**NOT_FOUND, **BAD_BODY}
)
def update_item(item_id: int, changes: ItemPatch) -> Item:
    return _found(store.update(item_id, changes.model_dump(exclude_unset=True)))


@api.delete("/items/{item_id}", status_code=204, tags=["items"], responses=NOT_FOUND)
def delete_item(item_id: int) -> Response:
    if not store.delete(item_id):
        raise HTTPException(404, "Item not found")
    return Response(status_code=204)


def _now() -> str:
    return datetime.now(UTC).isoformat()


Count = Annotated[int, Query(ge=1, le=100)]
Interval = Annotated[float, Query(ge=0, le=5)]


@api.get("/stream/data", tags=["streams"], responses={200: {"content": {"application/jsonl": {}}}})
def stream_data(max_events: Count = 100, interval: Interval = 0.01) -> StreamingResponse:
    async def lines() -> AsyncIterator[str]:
        for number in range(max_events):
            if number:
                await asyncio.sleep(interval)
            row = {"id": number, "value": f"item-{number}", "timestamp": _now()}
            yield json.dumps(row) + "\n"

    return StreamingResponse(lines(), media_type="application/jsonl")


@api.get(
    "/stream/events", tags=["streams"], responses={200: {"content": {"text/event-stream": {}}}}
)
def stream_events(max_events: Count = 10, interval: Interval = 1.0) -> StreamingResponse:
    async def events() -> AsyncIterator[str]:
        yield ": counting\n"  # a comment, then the reconnection delay with the first event
        for number in range(max_events):
            if number:
                await asyncio.sleep(interval)
            retry = "" if number else "retry: 3000\n"
            payload = json.dumps({"count": number, "time": _now()})
            yield f"{retry}id: {number}\ndata: {payload}\n\n"
        yield f"id: {max_events}\nevent: done\ndata: {json.dumps({'done': True})}\n\n"

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)


@api.get("/utils/health-check/", tags=["utils"])
def health_check() -> bool:
    return True


def build(login: APIRouter) -> FastAPI:
    built = FastAPI(title="Items Service", version="0.3.0", openapi_url=f"{PREFIX}/openapi.json")
    built.include_router(login)
    built.include_router(api)
    built.add_middleware(
        CORSMiddleware,
        allow_origins=["http://localhost:3000"],
        allow_methods=["*"],
        allow_headers=["*"],
    )
    built.add_middleware(SecurityHeaders)
    return built


app = build(json_login)
cookie_app = build(cookie_login)
