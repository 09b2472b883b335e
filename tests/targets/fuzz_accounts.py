"""A target with a team's data at stake, for the careful fuzzer (issue 15).

- The admin logs in at ``/token`` and can change itself (``PATCH /users/me``) and any user
  (``PATCH``/``DELETE /users/{user_id}``); the document links ``GET /users/me`` to both, so a
  stateful sequence reaches the admin's own id. The fuzz run must leave the admin as it was.
- ``POST /users/`` (a 201 with the new user, no Location) and ``POST /items/`` (a 201 with
  a Location) create rows that ``DELETE /users/{user_id}`` and ``DELETE /items/{item_id}``
  remove; ``POST /notes/`` creates rows nothing can delete. The run must delete what it can
  and say what it could not.
- ``GET /numbers/{n}`` crashes (an unhandled exception: a 500, after which uvicorn closes
  the connection without saying so) for every even ``n``.

State lives in ``STATE`` so a test serving the app in its own process can look at it.
"""

from __future__ import annotations

import itertools
import threading
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Response
from fastapi.openapi.utils import get_openapi
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

ADMIN = {"id": 1, "email": "admin@example.com", "full_name": "The Admin", "password": "admin-pw"}


class State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.ids = itertools.count(2)
        self.users: dict[int, dict[str, Any]] = {1: dict(ADMIN)}
        self.items: dict[int, dict[str, Any]] = {}
        self.notes: dict[int, dict[str, Any]] = {}


STATE = State()
app = FastAPI(
    title="fuzz accounts target", version="1", responses={400: {"description": "unparsable body"}}
)
oauth2 = OAuth2PasswordBearer(tokenUrl="/token")
NOT_FOUND = {404: {"description": "not found"}}


class UserOut(BaseModel):
    id: int
    email: str
    full_name: str


class UserIn(BaseModel):
    email: str = Field(min_length=1, max_length=50)
    full_name: str = Field("", max_length=50)
    password: str = Field(min_length=1, max_length=50)


class UserPatch(BaseModel):
    email: str | None = Field(None, min_length=1, max_length=50)
    full_name: str | None = Field(None, max_length=50)


class ItemIn(BaseModel):
    title: str = Field(min_length=1, max_length=50)


class ItemOut(BaseModel):
    id: int
    title: str


class Token(BaseModel):
    access_token: str
    token_type: str


def current_user(token: Annotated[str, Depends(oauth2)]) -> dict[str, Any]:
    with STATE.lock:
        for user in STATE.users.values():
            if token == f"token-{user['id']}":
                return user
    raise HTTPException(401, "Could not validate credentials", {"WWW-Authenticate": "Bearer"})


Me = Annotated[dict[str, Any], Depends(current_user)]


@app.post("/token", responses={400: {"description": "bad credentials"}})
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    with STATE.lock:
        for user in STATE.users.values():
            if user["email"] == form.username and user["password"] == form.password:
                return Token(access_token=f"token-{user['id']}", token_type="bearer")
    raise HTTPException(400, "Incorrect email or password")


@app.get("/users/me", operation_id="read_me")
def read_me(me: Me) -> UserOut:
    return UserOut(**me)


@app.patch("/users/me", operation_id="update_me")
def update_me(patch: UserPatch, me: Me) -> UserOut:
    with STATE.lock:
        me.update(patch.model_dump(exclude_none=True))
    return UserOut(**me)


@app.post("/users/", status_code=201, operation_id="create_user")
def create_user(body: UserIn, me: Me) -> UserOut:
    with STATE.lock:
        user = {"id": next(STATE.ids), **body.model_dump()}
        STATE.users[user["id"]] = user
    return UserOut(**user)


@app.patch("/users/{user_id}", operation_id="update_user", responses=NOT_FOUND)
def update_user(user_id: int, patch: UserPatch, me: Me) -> UserOut:
    with STATE.lock:
        user = STATE.users.get(user_id)
        if user is None:
            raise HTTPException(404, "User not found")
        user.update(patch.model_dump(exclude_none=True))
    return UserOut(**user)


@app.delete("/users/{user_id}", status_code=204, operation_id="delete_user", responses=NOT_FOUND)
def delete_user(user_id: int, me: Me) -> Response:
    with STATE.lock:
        if STATE.users.pop(user_id, None) is None:
            raise HTTPException(404, "User not found")
    return Response(status_code=204)


@app.post("/items/", status_code=201)
def create_item(body: ItemIn, me: Me, response: Response) -> ItemOut:
    with STATE.lock:
        item = {"id": next(STATE.ids), "title": body.title}
        STATE.items[item["id"]] = item
    response.headers["Location"] = f"/items/{item['id']}"
    return ItemOut(**item)


@app.get("/items/{item_id}", responses=NOT_FOUND)
def read_item(item_id: int, me: Me) -> ItemOut:
    with STATE.lock:
        item = STATE.items.get(item_id)
    if item is None:
        raise HTTPException(404, "Item not found")
    return ItemOut(**item)


@app.delete("/items/{item_id}", status_code=204, responses=NOT_FOUND)
def delete_item(item_id: int, me: Me) -> Response:
    with STATE.lock:
        if STATE.items.pop(item_id, None) is None:
            raise HTTPException(404, "Item not found")
    return Response(status_code=204)


@app.post("/notes/", status_code=201)
def create_note(body: ItemIn, me: Me) -> ItemOut:
    with STATE.lock:
        note = {"id": next(STATE.ids), "title": body.title}
        STATE.notes[note["id"]] = note
    return ItemOut(**note)


@app.get("/numbers/{n}")
def number(n: int) -> dict[str, int]:
    if n % 2 == 0:
        raise RuntimeError("even numbers crash this target")
    return {"n": n}


def _document() -> dict[str, Any]:
    """FastAPI's document, with links from ``GET /users/me`` to the admin's own id."""
    if app.openapi_schema is None:
        document = get_openapi(title=app.title, version=app.version, routes=app.routes)
        me = document["paths"]["/users/me"]["get"]["responses"]["200"]
        me["links"] = {
            name: {"operationId": operation, "parameters": {"user_id": "$response.body#/id"}}
            for name, operation in (("UpdateUser", "update_user"), ("DeleteUser", "delete_user"))
        }
        app.openapi_schema = document
    return app.openapi_schema


app.openapi = _document  # type: ignore[method-assign]
