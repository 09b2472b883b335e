"""A tiny API whose item answer contradicts the schema its document declares.

``GET /things`` lists ``[{"id": 1, "name": "one"}]`` as declared; ``GET /things/{thing_id}``
declares ``{"id": integer, "name": string}`` but answers ``{"id": "1", "name": null}``; and
the item needs a bearer token. Only a check that fills the path parameter from the listing
and logs in finds it: OAS-06's own check must, on its own (``-k OAS-06``).
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, HTTPException
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer
from jose import JWTError, jwt
from pydantic import BaseModel

SECRET = "wrong-item-schema-target-signing-key-0123"
oauth2 = OAuth2PasswordBearer(tokenUrl="/token")


class Thing(BaseModel):
    id: int
    name: str


class Token(BaseModel):
    access_token: str
    token_type: str


def current_user(token: Annotated[str, Depends(oauth2)]) -> str:
    try:
        claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    except JWTError:
        raise HTTPException(
            401, "Could not validate credentials", {"WWW-Authenticate": "Bearer"}
        ) from None
    if claims.get("iat", 0) > time.time() + 60:  # jose checks nbf but not iat (AUTH-10)
        raise HTTPException(401, "Could not validate credentials", {"WWW-Authenticate": "Bearer"})
    return str(claims["sub"])


app = FastAPI(title="Things", version="1.0.0")
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {401: {"description": "No valid token"}}


@app.post("/token")
def login(username: Annotated[str, Form()], password: Annotated[str, Form()]) -> Token:
    if (username, password) != ("owner", "owner-password"):
        raise HTTPException(401, "Incorrect username or password", {"WWW-Authenticate": "Bearer"})
    claims = {"sub": username, "exp": int(time.time()) + 600}
    return Token(access_token=jwt.encode(claims, SECRET, algorithm="HS256"), token_type="bearer")


@app.get("/things")
def list_things() -> list[Thing]:
    return [Thing(id=1, name="one")]


@app.get("/things/{thing_id}", response_model=Thing, responses=UNAUTHORIZED)
def read_thing(thing_id: int, user: Annotated[str, Depends(current_user)]) -> JSONResponse:
    return JSONResponse({"id": str(thing_id), "name": None})  # not the declared Thing
