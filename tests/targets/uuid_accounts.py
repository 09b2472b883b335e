"""An API shaped like full-stack-fastapi-template's backend, with one of its real bugs.

- Everything under ``/api/v1``; FastAPI's error bodies; the OAuth2 password login at
  ``/api/v1/login/access-token`` takes the e-mail as ``username`` and answers 400 for bad
  credentials (RFC 6749 §5.2's ``invalid_grant``).
- The token's ``sub`` is the user's UUID; ``GET /api/v1/users/me`` answers
  ``{"id", "email", "is_superuser"}`` (no ``username`` anywhere).
- Notes with UUID ids, owned by their creator (two plain users besides the admin), paged
  by ``skip``/``limit`` as ``{"data": [...], "count": n}``.
- Nothing of the tutorial's contract beyond that: no roles table, no request ids, no
  security headers, no streams, no WebSockets. Its profile says ``contract = "none"``.

The bug, as the template has it: a correctly signed token whose ``sub`` is not a UUID makes
the user lookup raise, so the answer is a 500 instead of a 401 (AUTH-07).
"""

from __future__ import annotations

import time
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Query, Response
from fastapi.security import OAuth2PasswordBearer
from jose import JWTError, jwt
from pydantic import BaseModel, Field

from tests.targets._shared import authenticate, make_users

PREFIX = "/api/v1"
JWT_SECRET = "uuid-accounts-target-signing-key-0123456789"  # a test target's, in its profile
USERS = make_users(
    {
        "admin@example.com": ("changethis-admin", ("admin",)),
        "ann@example.com": ("ann-password-1", ()),  # two plain users: one cannot reach the
        "ben@example.com": ("ben-password-1", ()),  # other's notes (RBAC-08)
    }
)
IDS = {email: uuid.uuid5(uuid.NAMESPACE_URL, email) for email in USERS}
CHALLENGE = {"WWW-Authenticate": "Bearer"}

oauth2 = OAuth2PasswordBearer(tokenUrl=f"{PREFIX}/login/access-token")


class Message(BaseModel):
    detail: str


UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": Message, "description": "Missing or invalid credentials"}
}
BAD_BODY: dict[int | str, dict[str, Any]] = {400: {"model": Message, "description": "Bad body"}}


class Token(BaseModel):
    access_token: str
    token_type: str


class Me(BaseModel):
    id: uuid.UUID
    email: str
    is_superuser: bool


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=255)
    body: str | None = Field(None, max_length=2000)


class Note(NoteIn):
    id: uuid.UUID
    owner_id: uuid.UUID


class NotesPage(BaseModel):
    data: list[Note]
    count: int


notes: dict[uuid.UUID, Note] = {}


def current_user(token: Annotated[str, Depends(oauth2)]) -> uuid.UUID:
    try:
        claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"], options={"require_exp": True})
    except JWTError:
        raise HTTPException(401, "Could not validate credentials", CHALLENGE) from None
    if claims.get("iat", 0) > time.time() + 60:  # as PyJWT, the template's library (AUTH-10)
        raise HTTPException(401, "Could not validate credentials", CHALLENGE)
    user_id = uuid.UUID(str(claims.get("sub")))  # the bug: a non-UUID sub raises, a 500
    if user_id not in IDS.values():
        raise HTTPException(401, "Could not validate credentials", CHALLENGE)
    return user_id


api = APIRouter(prefix=PREFIX)


@api.post("/login/access-token", responses=BAD_BODY)
def login(username: Annotated[str, Form()], password: Annotated[str, Form()]) -> Token:
    user = authenticate(USERS, username, password)
    if user is None:
        raise HTTPException(400, "Incorrect email or password")
    now = int(time.time())
    claims = {"sub": str(IDS[user.username]), "exp": now + 8 * 24 * 3600}
    return Token(
        access_token=jwt.encode(claims, JWT_SECRET, algorithm="HS256"), token_type="bearer"
    )


@api.get("/users/me", responses=UNAUTHORIZED)
def read_me(user_id: Annotated[uuid.UUID, Depends(current_user)]) -> Me:
    email = next(email for email, known in IDS.items() if known == user_id)
    return Me(id=user_id, email=email, is_superuser="admin" in USERS[email].roles)


@api.get("/notes/", responses=UNAUTHORIZED)
def list_notes(
    user_id: Annotated[uuid.UUID, Depends(current_user)],
    skip: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 100,
) -> NotesPage:
    mine = [note for note in notes.values() if note.owner_id == user_id]
    return NotesPage(data=mine[skip : skip + limit], count=len(mine))


@api.post("/notes/", status_code=201, responses={**UNAUTHORIZED, **BAD_BODY})
def create_note(note: NoteIn, user_id: Annotated[uuid.UUID, Depends(current_user)]) -> Note:
    created = Note(id=uuid.uuid4(), owner_id=user_id, **note.model_dump())
    notes[created.id] = created
    return created


def _own(note_id: uuid.UUID, user_id: uuid.UUID) -> Note:
    note = notes.get(note_id)
    if note is None or note.owner_id != user_id:
        raise HTTPException(404, "Note not found")
    return note


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    **UNAUTHORIZED,
    404: {"model": Message, "description": "No such note of yours"},
}


@api.get("/notes/{note_id}", responses=NOT_FOUND)
def read_note(note_id: uuid.UUID, user_id: Annotated[uuid.UUID, Depends(current_user)]) -> Note:
    return _own(note_id, user_id)


@api.delete("/notes/{note_id}", status_code=204, responses=NOT_FOUND)
def delete_note(
    note_id: uuid.UUID, user_id: Annotated[uuid.UUID, Depends(current_user)]
) -> Response:
    notes.pop(_own(note_id, user_id).id)
    return Response(status_code=204)


@api.get("/utils/health-check/")
def health_check() -> bool:
    return True


app = FastAPI(title="Notes", version="1.0.0", openapi_url=f"{PREFIX}/openapi.json")
app.include_router(api)
