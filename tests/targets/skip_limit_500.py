"""The shape of full-stack-fastapi-template's items, with its negative ``skip``/``limit`` bug.

- Everything under ``/api/v1``; an OAuth2 password login at ``/api/v1/login/access-token``;
  FastAPI's error bodies.
- ``/api/v1/items/``: a secured collection (create, read, PATCH, delete) of items owned by
  their creator, listed by ``skip``/``limit`` as ``{"data": [...], "count": n}``; the two
  parameters are plain ``int`` without bounds, as in the template.

The bug, as the template has it on PostgreSQL: a negative ``skip`` or ``limit`` reaches the
query (``OFFSET -1``: "OFFSET must not be negative") and the answer is a 500. Here the
store raises the database's error and the route answers it with a 500 in FastAPI's error
shape, so no exception escapes the app: the one finding is the 500 itself (PAGE-07).
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer
from jose import JWTError, jwt
from pydantic import BaseModel, Field

from tests.targets._shared import authenticate, make_users

PREFIX = "/api/v1"
JWT_SECRET = "skip-limit-500-target-signing-key-0123456789"  # a test target's, in its profile
USERS = make_users({"admin@example.com": ("changethis-admin", ("admin",))})
CHALLENGE = {"WWW-Authenticate": "Bearer"}

oauth2 = OAuth2PasswordBearer(tokenUrl=f"{PREFIX}/login/access-token")


class Message(BaseModel):
    detail: str


UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": Message, "description": "Missing or invalid credentials"}
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    **UNAUTHORIZED,
    404: {"model": Message, "description": "No such item of yours"},
}


class Token(BaseModel):
    access_token: str
    token_type: str


class ItemCreate(BaseModel):
    title: str = Field(min_length=1, max_length=255)
    description: str | None = Field(None, max_length=255)


class ItemUpdate(BaseModel):
    title: str | None = Field(None, min_length=1, max_length=255)
    description: str | None = Field(None, max_length=255)


class Item(ItemCreate):
    id: int
    owner_id: str


class ItemsPage(BaseModel):
    data: list[Item]
    count: int


class NegativeOffset(Exception):
    """What PostgreSQL says to ``OFFSET -1`` or ``LIMIT -1``."""


class Store:
    def __init__(self) -> None:
        self.items: dict[int, Item] = {}
        self.ids = itertools.count(1)
        self.lock = threading.Lock()

    def page(self, owner: str, skip: int, limit: int) -> tuple[list[Item], int]:
        if skip < 0 or limit < 0:
            raise NegativeOffset("OFFSET must not be negative")
        with self.lock:
            mine = [item for item in self.items.values() if item.owner_id == owner]
        return mine[skip : skip + limit], len(mine)


store = Store()


def current_user(token: Annotated[str, Depends(oauth2)]) -> str:
    try:
        claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"], options={"require_exp": True})
    except JWTError:
        raise HTTPException(401, "Could not validate credentials", CHALLENGE) from None
    subject = claims.get("sub")
    if claims.get("iat", 0) > time.time() + 60 or subject not in USERS:  # as PyJWT (AUTH-10)
        raise HTTPException(401, "Could not validate credentials", CHALLENGE)
    return str(subject)


UserDep = Annotated[str, Depends(current_user)]
api = APIRouter(prefix=PREFIX)


@api.post("/login/access-token", responses={400: {"model": Message, "description": "Bad login"}})
def login(username: Annotated[str, Form()], password: Annotated[str, Form()]) -> Token:
    user = authenticate(USERS, username, password)
    if user is None:
        raise HTTPException(400, "Incorrect email or password")
    claims = {"sub": user.username, "exp": int(time.time()) + 3600}
    return Token(access_token=jwt.encode(claims, JWT_SECRET, algorithm="HS256"),
                 token_type="bearer")  # fmt: skip


@api.get("/items/", responses=UNAUTHORIZED, response_model=ItemsPage)
def list_items(user: UserDep, skip: int = 0, limit: int = 100) -> Any:
    try:
        data, count = store.page(user, skip, limit)
    except NegativeOffset:  # the database error, answered as the template's 500
        return JSONResponse({"detail": "Internal Server Error"}, status_code=500)
    return ItemsPage(data=data, count=count)


@api.post("/items/", responses=UNAUTHORIZED)
def create_item(item: ItemCreate, user: UserDep) -> Item:
    with store.lock:
        created = Item(id=next(store.ids), owner_id=user, **item.model_dump())
        store.items[created.id] = created
    return created


def _own(item_id: int, user: str) -> Item:
    item = store.items.get(item_id)
    if item is None or item.owner_id != user:
        raise HTTPException(404, "Item not found")
    return item


@api.get("/items/{id}", responses=NOT_FOUND)
def read_item(id: int, user: UserDep) -> Item:
    return _own(id, user)


@api.patch("/items/{id}", responses=NOT_FOUND)
def update_item(id: int, changes: ItemUpdate, user: UserDep) -> Item:
    with store.lock:
        updated = _own(id, user).model_copy(update=changes.model_dump(exclude_unset=True))
        store.items[id] = updated
    return updated


@api.delete("/items/{id}", responses=NOT_FOUND)
def delete_item(id: int, user: UserDep) -> Message:
    with store.lock:
        store.items.pop(_own(id, user).id)
    return Message(detail="Item deleted successfully")


@api.get("/utils/health-check/")
def health_check() -> bool:
    return True


app = FastAPI(title="Items", version="1.0.0", openapi_url=f"{PREFIX}/openapi.json")
app.include_router(api)
