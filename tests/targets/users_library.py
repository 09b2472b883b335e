"""An API shaped like fastapi-users' example app (its routers as the library builds them).

- ``POST /auth/jwt/login``: the OAuth2 password form, ``username`` is the e-mail; bad
  credentials are ``400 {"detail": "LOGIN_BAD_CREDENTIALS"}`` (documented).
- ``POST /auth/register``: a JSON ``{email, password}``; an e-mail already registered is
  ``400 {"detail": "REGISTER_USER_ALREADY_EXISTS"}``, documented beside the 422: a
  business rule, not a validation (FUZZ-04).
- ``GET /users/me``: ``{id, email, is_active, is_superuser, is_verified}``; tokens are
  HS256 with ``sub`` the user's UUID and ``aud: ["fastapi-users:auth"]``.
- Every 401 is ``{"detail": "Unauthorized"}`` **without** ``WWW-Authenticate`` (as the
  library answers): ``conformance init`` switches ``[auth] challenge`` off, with the
  evidence, and the strict level notes it.

Its one real flaw, the library example's: the signing secret is ``"SECRET"`` (AUTH-10).
"""

import time
import uuid
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from jose import JWTError, jwt
from pydantic import BaseModel, EmailStr

from tests.targets._shared import authenticate, make_users

SECRET = "SECRET"  # the library example's, kept as its users keep it (AUTH-10's weak_secret)
AUDIENCE = "fastapi-users:auth"
ACCOUNTS = {"ann@example.com": "ann-password-1", "ben@example.com": "ben-password-1"}
USERS = make_users({email: (password, ()) for email, password in ACCOUNTS.items()})
IDS = {email: uuid.uuid5(uuid.NAMESPACE_URL, email) for email in ACCOUNTS}

oauth2 = OAuth2PasswordBearer(tokenUrl="auth/jwt/login", auto_error=False)


class Message(BaseModel):
    detail: str


def _documented(status: int, description: str) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": Message, "description": description}}


class Token(BaseModel):
    access_token: str
    token_type: str


class UserCreate(BaseModel):
    email: EmailStr
    password: str


class UserRead(BaseModel):
    id: uuid.UUID
    email: EmailStr
    is_active: bool = True
    is_superuser: bool = False
    is_verified: bool = False


def current_user(token: Annotated[str | None, Depends(oauth2)]) -> str:
    unauthorized = HTTPException(401, "Unauthorized")  # the library's: no challenge
    if token is None:
        raise unauthorized
    try:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience=AUDIENCE)
    except JWTError:
        raise unauthorized from None
    if not isinstance(claims.get("exp"), int) or claims.get("iat", 0) > time.time() + 60:
        raise unauthorized
    found = [email for email, known in IDS.items() if str(known) == claims.get("sub")]
    if not found:
        raise unauthorized
    return found[0]


app = FastAPI(title="Users", version="1.0.0")


@app.post("/auth/jwt/login", responses=_documented(400, "LOGIN_BAD_CREDENTIALS"))
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    user = authenticate(USERS, form.username, form.password)
    if user is None:
        raise HTTPException(400, "LOGIN_BAD_CREDENTIALS")
    claims = {"sub": str(IDS[user.username]), "aud": [AUDIENCE], "exp": int(time.time()) + 3600}
    return Token(access_token=jwt.encode(claims, SECRET, algorithm="HS256"), token_type="bearer")


@app.post(
    "/auth/register", status_code=201, responses=_documented(400, "REGISTER_USER_ALREADY_EXISTS")
)
def register(user: UserCreate) -> UserRead:
    email = user.email.lower()
    if email in IDS:
        raise HTTPException(400, "REGISTER_USER_ALREADY_EXISTS")
    IDS[email] = uuid.uuid4()  # no login for them: only the accounts above have passwords
    return UserRead(id=IDS[email], email=email)


@app.get("/users/me", responses=_documented(401, "Missing token or inactive user"))
def read_me(email: Annotated[str, Depends(current_user)]) -> UserRead:
    return UserRead(id=IDS[email], email=email)
