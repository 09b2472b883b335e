"""An owned collection added to the reference app: notes that belong to their creator.

Correct as built (``notes_router()``); the RBAC-08 and VAL-06 mutants switch on one flaw.
Documented like the reference routes, so the target model sees the collection.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Request, Response, status
from pydantic import BaseModel, Field

from reference_app.auth import CurrentUser, CurrentUserDep
from reference_app.schemas import error_responses


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=100)


class NoteUpdate(BaseModel):
    title: str = Field(default=None, min_length=1, max_length=100)


class Note(BaseModel):
    id: int
    title: str
    owner_id: int
    is_admin: bool


def notes_router(*, leak: bool = False, mass_assignable: bool = False) -> APIRouter:
    """``leak``: any user reaches any note; ``mass_assignable``: a create takes
    ``owner_id`` and ``is_admin`` from the body, which its schema does not declare."""
    router = APIRouter(tags=["notes"])
    notes: dict[int, Note] = {}
    next_id = [0]

    def own(note_id: int, user: CurrentUser) -> Note:
        note = notes.get(note_id)
        if note is None or (note.owner_id != user.id and not leak):
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Note not found")
        return note

    @router.post("/notes", status_code=201, responses=error_responses(401))
    async def create_note(
        payload: Annotated[NoteIn, Body()], user: CurrentUserDep, request: Request
    ) -> Note:
        extra: dict[str, Any] = {}
        if mass_assignable:
            raw = await request.json()
            extra = {key: raw[key] for key in ("owner_id", "is_admin") if key in raw}
        next_id[0] += 1
        fields: dict[str, Any] = {"owner_id": user.id, "is_admin": False, **extra}
        note = Note(id=next_id[0], title=payload.title, **fields)
        notes[note.id] = note
        return note

    @router.get("/notes/{note_id}", responses=error_responses(401, 404))
    async def read_note(note_id: int, user: CurrentUserDep) -> Note:
        return own(note_id, user)

    @router.patch("/notes/{note_id}", responses=error_responses(401, 404))
    async def update_note(note_id: int, payload: NoteUpdate, user: CurrentUserDep) -> Note:
        note = own(note_id, user)
        notes[note_id] = note.model_copy(update=payload.model_dump(exclude_unset=True))
        return notes[note_id]

    @router.delete(
        "/notes/{note_id}",
        status_code=204,
        response_class=Response,
        responses=error_responses(401, 404),
    )
    async def delete_note(note_id: int, user: CurrentUserDep) -> Response:
        del notes[own(note_id, user).id]
        return Response(status_code=204)

    return router
