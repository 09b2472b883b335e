"""A 40-operation API of our own for ``bench/property_checks.py``: eight owned resources,
each with create, list (skip/limit), read, update and delete, behind an OAuth2 password
login — the shape of a real app, not the tutorial's, and conforming to SPEC.md's ANY
section (so the bench measures a passing run).

Users (password ``bench-password``): ``alice`` and ``bob`` (role user), ``root`` (admin).
Run it as ``--target-app=bench.forty_operations:app`` with ``bench/forty_operations.toml``.
"""

from __future__ import annotations

import hmac
import itertools
import os
import threading
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from jose import JWTError, jwt
from pydantic import BaseModel, Field

SECRET = os.environ.get("BENCH_JWT_SECRET", "bench-" + "0" * 40)
PASSWORD = "bench-password"
USERS = {"alice": False, "bob": False, "root": True}  # name: is admin
RESOURCES = ("notes", "tasks", "projects", "tags", "files", "events", "contacts", "invoices")

scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")
REFUSED: dict[int | str, dict[str, Any]] = {401: {"description": "no valid credentials"}}
ABSENT: dict[int | str, dict[str, Any]] = {404: {"description": "no such row of yours"}}
app = FastAPI(title="forty operations")


def _refused() -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        "Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_user(token: Annotated[str, Depends(scheme)]) -> str:
    try:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    except JWTError:
        raise _refused() from None
    name = claims.get("sub")
    if claims.get("iat", 0) > time.time() + 60:  # jose checks nbf but not iat (AUTH-10)
        raise _refused()
    if name not in USERS or not isinstance(claims.get("exp"), int):
        raise _refused()
    return str(name)


User = Annotated[str, Depends(current_user)]


class Token(BaseModel):
    access_token: str
    token_type: str


@app.post("/auth/token", responses=REFUSED)
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    known = form.username in USERS
    if not (known and hmac.compare_digest(form.password, PASSWORD)):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    claims = {"sub": form.username, "exp": int(time.time()) + 900}
    return Token(access_token=jwt.encode(claims, SECRET, algorithm="HS256"), token_type="bearer")


class Me(BaseModel):
    username: str
    is_admin: bool


@app.get("/auth/me", responses=REFUSED)
def me(user: User) -> Me:
    return Me(username=user, is_admin=USERS[user])


class Draft(BaseModel):
    title: str = Field(min_length=1, max_length=80)
    body: str = Field("", max_length=500)


class Change(BaseModel):
    title: str | None = Field(None, min_length=1, max_length=80)
    body: str | None = Field(None, max_length=500)


class Stored(Draft):
    id: int
    owner: str


class Page(BaseModel):
    data: list[Stored]
    count: int


def _router(name: str) -> APIRouter:
    rows: dict[int, Stored] = {}
    ids = itertools.count(1)
    lock = threading.Lock()
    malformed = {400: {"description": "a body that is not JSON"}}
    router = APIRouter(prefix=f"/{name}", tags=[name], responses={**REFUSED, **malformed})

    def owned(row_id: int, user: str) -> Stored:
        row = rows.get(row_id)
        if row is None or (row.owner != user and not USERS[user]):
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"{name[:-1]} not found")
        return row

    @router.post("/", status_code=201, operation_id=f"create_{name}")
    def create(draft: Draft, user: User) -> Stored:
        with lock:
            row = Stored(id=next(ids), owner=user, **draft.model_dump())
            rows[row.id] = row
        return row

    @router.get("/", operation_id=f"list_{name}")
    def listing(
        user: User,
        skip: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
    ) -> Page:
        with lock:
            mine = [row for key, row in sorted(rows.items()) if USERS[user] or row.owner == user]
        return Page(data=mine[skip : skip + limit], count=len(mine))

    @router.get("/{row_id}", responses=ABSENT, operation_id=f"read_{name}")
    def read(row_id: int, user: User) -> Stored:
        return owned(row_id, user)

    @router.patch("/{row_id}", responses=ABSENT, operation_id=f"update_{name}")
    def update(row_id: int, change: Change, user: User) -> Stored:
        with lock:
            row = owned(row_id, user)
            values: dict[str, Any] = change.model_dump(exclude_unset=True, exclude_none=True)
            rows[row_id] = row.model_copy(update=values)
            return rows[row_id]

    @router.delete("/{row_id}", responses=ABSENT, status_code=204, operation_id=f"delete_{name}")
    def delete(row_id: int, user: User) -> None:
        with lock:
            owned(row_id, user)
            del rows[row_id]

    return router


for resource in RESOURCES:
    app.include_router(_router(resource))
