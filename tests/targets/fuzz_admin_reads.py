"""A public create whose Location names an admin-only read (issue 16, FUZZ-05).

``POST /signup`` needs no credentials and answers 201 with ``Location:
/admin/accounts/{id}``; reading (and deleting) an account needs the OAuth2 scope
``admin``, which the document declares. A correct target: FUZZ-05 must read the Location
back as the profile's admin, not with the create's (absent) credentials.
"""

from __future__ import annotations

import itertools
import threading
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Response, Security
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm, SecurityScopes
from pydantic import BaseModel, Field

USERS = {"admin": ("admin-pw", ("admin",)), "user": ("user-pw", ())}

app = FastAPI(
    title="fuzz admin reads target", version="1",
    responses={400: {"description": "unparsable body"}},
)  # fmt: skip
oauth2 = OAuth2PasswordBearer(tokenUrl="/token", scopes={"admin": "administer accounts"})
_lock = threading.Lock()
_ids = itertools.count(1)
ACCOUNTS: dict[int, dict[str, Any]] = {}
NOT_FOUND = {404: {"description": "not found"}, 403: {"description": "not an admin"}}


class SignUp(BaseModel):
    name: str = Field(min_length=1, max_length=40)


class Account(BaseModel):
    id: int
    name: str


class Token(BaseModel):
    access_token: str
    token_type: str


def caller(scopes: SecurityScopes, token: Annotated[str, Security(oauth2)]) -> str:
    name = token.removeprefix("token-")
    if name not in USERS:
        raise HTTPException(401, "Could not validate credentials", {"WWW-Authenticate": "Bearer"})
    if any(scope not in USERS[name][1] for scope in scopes.scopes):
        raise HTTPException(403, "Not enough permissions")
    return name


Admin = Annotated[str, Security(caller, scopes=["admin"])]


@app.post("/token", responses={400: {"description": "bad credentials"}})
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    known = USERS.get(form.username)
    if known is None or known[0] != form.password:
        raise HTTPException(400, "Incorrect username or password")
    return Token(access_token=f"token-{form.username}", token_type="bearer")


@app.post("/signup", status_code=201)
def signup(body: SignUp, response: Response) -> Account:
    with _lock:
        account = {"id": next(_ids), "name": body.name}
        ACCOUNTS[account["id"]] = account
    response.headers["Location"] = f"/admin/accounts/{account['id']}"
    return Account(**account)


@app.get("/admin/accounts/{account_id}", responses=NOT_FOUND)
def read_account(account_id: int, admin: Admin) -> Account:
    with _lock:
        account = ACCOUNTS.get(account_id)
    if account is None:
        raise HTTPException(404, "Account not found")
    return Account(**account)


@app.delete("/admin/accounts/{account_id}", status_code=204, responses=NOT_FOUND)
def delete_account(account_id: int, admin: Admin) -> Response:
    with _lock:
        if ACCOUNTS.pop(account_id, None) is None:
            raise HTTPException(404, "Account not found")
    return Response(status_code=204)
