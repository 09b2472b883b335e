"""A task API behind a gateway key: every task operation also requires an ``X-API-Key``
header, declared as a header parameter, not as a security scheme (the shape of small
"JWT + API key" services).

- ``POST /token``: the OAuth2 password form; tokens are HS256 JWTs with ``exp``.
- ``GET /users/me``, ``GET /tasks``, ``POST /tasks``, ``GET /tasks/{task_id}``,
  ``DELETE /tasks/{task_id}``: a bearer token (the declared OAuth2 scheme) and the key.
  A missing or wrong key is a documented 403; a bad token a documented 401 with a Bearer
  challenge. Tasks belong to their creator (``owner``).

Without ``[headers]`` in its profile the suite cannot get past the key: the checks needing
an accepted request are not applicable, never failed. With ``"X-API-Key"`` there
(``gateway_key.toml``), they run and pass.
"""

from __future__ import annotations

import itertools
import threading
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel, Field

from tests.targets._shared import Tokens, User, authenticate, make_users

GATEWAY_KEY = "gateway-key-for-the-test-target-7d1f"
JWT_SECRET = "gateway-key-target-signing-key-0123456789abcdef"
USERS = make_users({"ann": ("ann-password-1", ()), "ben": ("ben-password-1", ())})
TOKENS = Tokens(JWT_SECRET, lifetime_minutes=30)
CHALLENGE = {"WWW-Authenticate": "Bearer"}

oauth2 = OAuth2PasswordBearer(tokenUrl="/token")


class Message(BaseModel):
    detail: str


REFUSALS: dict[int | str, dict[str, Any]] = {
    401: {"model": Message, "description": "Missing or invalid token"},
    403: {"model": Message, "description": "Missing or wrong gateway key"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Message, "description": "No task"}}


class Token(BaseModel):
    access_token: str
    token_type: str


class Me(BaseModel):
    username: str


class TaskIn(BaseModel):
    title: str = Field(min_length=1, max_length=100)


class Task(BaseModel):
    id: int
    title: str
    owner: str


def gateway(x_api_key: Annotated[str | None, Header(alias="X-API-Key")] = None) -> None:
    if x_api_key != GATEWAY_KEY:
        raise HTTPException(403, "Missing or wrong gateway key")


def current_user(token: Annotated[str, Depends(oauth2)]) -> User:
    user = TOKENS.user_of(USERS, token)
    if user is None:
        raise HTTPException(401, "Could not validate credentials", CHALLENGE)
    return user


Caller = Annotated[User, Depends(current_user)]
_tasks: dict[int, Task] = {}
_ids = itertools.count(1)
_lock = threading.Lock()

app = FastAPI(title="Gateway tasks", version="1.0.0")


@app.post("/token", responses={401: REFUSALS[401]})
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    user = authenticate(USERS, form.username, form.password)
    if user is None:
        raise HTTPException(401, "Incorrect username or password", CHALLENGE)
    return Token(access_token=TOKENS.issue(user), token_type="bearer")


@app.get("/users/me", responses=REFUSALS, dependencies=[Depends(gateway)])
def read_me(user: Caller) -> Me:
    return Me(username=user.username)


@app.get("/tasks", responses=REFUSALS, dependencies=[Depends(gateway)])
def list_tasks(user: Caller) -> list[Task]:
    with _lock:
        return [task for task in _tasks.values() if task.owner == user.username]


@app.post("/tasks", status_code=201, responses=REFUSALS, dependencies=[Depends(gateway)])
def create_task(body: TaskIn, user: Caller) -> Task:
    with _lock:
        task = Task(id=next(_ids), title=body.title, owner=user.username)
        _tasks[task.id] = task
    return task


def _own(task_id: int, user: User) -> Task:
    with _lock:
        task = _tasks.get(task_id)
    if task is None or task.owner != user.username:
        raise HTTPException(404, "Task not found")
    return task


@app.get("/tasks/{task_id}", responses={**REFUSALS, **NOT_FOUND}, dependencies=[Depends(gateway)])
def read_task(task_id: int, user: Caller) -> Task:
    return _own(task_id, user)


@app.delete(
    "/tasks/{task_id}",
    status_code=204,
    responses={**REFUSALS, **NOT_FOUND},
    dependencies=[Depends(gateway)],
)
def delete_task(task_id: int, user: Caller) -> None:
    _own(task_id, user)
    with _lock:
        _tasks.pop(task_id, None)
