"""An API with no items at all, shaped like FastAPI's OAuth2 + JWT security tutorial.

- ``POST /token``: the OAuth2 password form, declared in the document as a password flow
  whose ``tokenUrl`` is ``token``; bad credentials are a 401 with a Bearer challenge.
- ``GET /users/me/`` (with its trailing slash): the token's user; ``sub`` is the username.
- ``GET /health``: ``{"status": "ok"}``.
- FastAPI's own error bodies; every 401 is documented. Nothing else: no items, roles,
  registration, pagination, request ids, security headers, streams or WebSockets. Its
  profile says ``contract = "none"`` and maps neither the login nor the me path: the suite
  reads both from the document.

The bug, as the tutorial has it (PyJWT's and python-jose's ``decode`` check ``exp`` only
when the token carries one): a correctly signed token without ``exp`` is accepted and never
expires (AUTH-07's ``no_exp``; RFC 8725 §3.10, OWASP ASVS 5.0 V9.2.1).
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from jose import JWTError, jwt
from pydantic import BaseModel

from tests.targets._shared import Tokens, User, authenticate, make_users

JWT_SECRET = "no-items-target-signing-key-0123456789abcdef"  # a test target's, in its profile
USERS = make_users({"johndoe": ("johndoe-secret-1", ())})
EMAILS = {"johndoe": "johndoe@example.com"}
TOKENS = Tokens(JWT_SECRET, lifetime_minutes=30)
CHALLENGE = {"WWW-Authenticate": "Bearer"}

oauth2 = OAuth2PasswordBearer(tokenUrl="token")


class Message(BaseModel):
    detail: str


UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": Message, "description": "Missing or invalid credentials"}
}


class Token(BaseModel):
    access_token: str
    token_type: str


class Me(BaseModel):
    username: str
    email: str | None = None
    disabled: bool = False


class Health(BaseModel):
    status: str


def current_user(token: Annotated[str, Depends(oauth2)]) -> User:
    refused = HTTPException(401, "Could not validate credentials", CHALLENGE)
    try:
        claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"])  # the bug: exp optional
    except JWTError:
        raise refused from None
    user = USERS.get(str(claims.get("sub")))
    if user is None or claims.get("iat", 0) > time.time() + 60:  # as PyJWT does (AUTH-10)
        raise refused
    return user


app = FastAPI(title="Accounts", version="1.0.0")


@app.post("/token", responses=UNAUTHORIZED)
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    user = authenticate(USERS, form.username, form.password)
    if user is None:
        raise HTTPException(401, "Incorrect username or password", CHALLENGE)
    return Token(access_token=TOKENS.issue(user), token_type="bearer")


@app.get("/users/me/", responses=UNAUTHORIZED)
def read_me(user: Annotated[User, Depends(current_user)]) -> Me:
    return Me(username=user.username, email=EMAILS.get(user.username))


@app.get("/health")
def health() -> Health:
    return Health(status="ok")
