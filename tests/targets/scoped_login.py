"""An API shaped like FastAPI's "OAuth2 scopes" tutorial (docs_src/security/tutorial005).

- ``POST /token``: the OAuth2 password form; the token carries exactly the scopes the form
  asked for (``scope``), as the tutorial grants them. A refused login answers 400, as the
  tutorial does (and documents it here).
- The password flow declares the scopes ``me`` and ``items``; ``GET /users/me/`` needs
  ``me``, ``GET /users/me/items/`` needs ``me`` and ``items``, ``GET /status/`` any valid
  token. A token without a needed scope is refused with 401 ``Not enough permissions`` and a
  challenge naming the scopes.
- Nothing else of the tutorial's contract; its profile comes from ``conformance init``.

Unlike the tutorial it documents its 400 and 401 answers and signs with a key of its own,
so a run with the scopes asked for finds nothing; a login that asks for none gets a token
its own me operation refuses.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Security
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm, SecurityScopes
from jose import JWTError, jwt
from pydantic import BaseModel

from tests.targets._shared import authenticate, make_users

JWT_SECRET = "scoped-login-target-signing-key-0123456789abcdef"
USERS = make_users({"johndoe": ("secret-of-johndoe", ())})
SCOPES = {"me": "Read information about the current user.", "items": "Read items."}

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", scopes=SCOPES)
app = FastAPI(title="Scoped login", version="1.0.0")


class Token(BaseModel):
    access_token: str
    token_type: str


class User(BaseModel):
    username: str


class Detail(BaseModel):
    detail: str


REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"model": Detail, "description": "no valid token, or one without a needed scope"}
}


def current_user(
    security_scopes: SecurityScopes, token: Annotated[str, Depends(oauth2_scheme)]
) -> User:
    challenge = (
        f'Bearer scope="{security_scopes.scope_str}"' if security_scopes.scopes else "Bearer"
    )
    refused = HTTPException(401, "Could not validate credentials", {"WWW-Authenticate": challenge})
    try:
        claims = jwt.decode(
            token,
            JWT_SECRET,
            algorithms=["HS256"],
            options={"require_exp": True, "require_sub": True},
        )
    except JWTError:
        raise refused from None
    if claims.get("iat", 0) > time.time() + 60:
        raise refused
    subject = claims.get("sub")
    if not isinstance(subject, str) or subject not in USERS:
        raise refused
    granted = str(claims.get("scope", "")).split()
    if any(scope not in granted for scope in security_scopes.scopes):
        raise HTTPException(401, "Not enough permissions", {"WWW-Authenticate": challenge})
    return User(username=subject)


@app.post(
    "/token",
    responses={400: {"model": Detail, "description": "Incorrect username or password"}},
)
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    user = authenticate(USERS, form.username, form.password)
    if user is None:
        raise HTTPException(400, "Incorrect username or password")
    now = int(time.time())
    claims = {"sub": user.username, "scope": " ".join(form.scopes), "iat": now, "exp": now + 1800}
    return Token(
        access_token=jwt.encode(claims, JWT_SECRET, algorithm="HS256"), token_type="bearer"
    )


@app.get("/users/me/", responses=REFUSED)
def read_users_me(user: Annotated[User, Security(current_user, scopes=["me"])]) -> User:
    return user


@app.get("/users/me/items/", responses=REFUSED)
def read_own_items(
    user: Annotated[User, Security(current_user, scopes=["me", "items"])],
) -> list[dict[str, str]]:
    return [{"item_id": "Foo", "owner": user.username}]


@app.get("/status/", responses=REFUSED)
def read_system_status(user: Annotated[User, Depends(current_user)]) -> dict[str, str]:
    return {"status": "ok"}
