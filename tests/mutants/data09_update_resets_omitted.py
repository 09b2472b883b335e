"""A second collection, /notes, whose PATCH writes every field of the update model: the
fields a client leaves out are reset to their defaults (only DATA-09 looks at /notes)."""

import itertools
import threading

from fastapi import APIRouter, HTTPException, Response
from pydantic import BaseModel, Field

from tests.mutants._base import reference

CAUGHT_BY = frozenset({"DATA-09"})


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=100)
    body: str | None = Field(None, max_length=500)
    pinned: bool = False


class NoteUpdate(BaseModel):
    title: str = Field(None, min_length=1, max_length=100)
    body: str | None = Field(None, max_length=500)
    pinned: bool = False


class Note(NoteIn):
    id: int


notes: dict[int, Note] = {}
ids = itertools.count(1)
lock = threading.Lock()
router = APIRouter(tags=["notes"])
NOT_FOUND = {404: {"description": "No such note"}}


def _note(note_id: int) -> Note:
    note = notes.get(note_id)
    if note is None:
        raise HTTPException(404, "Note not found")
    return note


@router.post("/notes", status_code=201)
def create_note(note: NoteIn) -> Note:
    with lock:
        created = Note(id=next(ids), **note.model_dump())
        notes[created.id] = created
    return created


@router.get("/notes/{note_id}", responses=NOT_FOUND)
def read_note(note_id: int) -> Note:
    return _note(note_id)


@router.patch("/notes/{note_id}", responses=NOT_FOUND)
def update_note(note_id: int, changes: NoteUpdate) -> Note:
    note = _note(note_id)
    # the bug: every field, set or not (model_dump(exclude_unset=True) keeps the others)
    fields = {name: value for name, value in changes.model_dump().items() if value is not None}
    notes[note_id] = updated = note.model_copy(update={"body": None, **fields})
    return updated


@router.delete("/notes/{note_id}", status_code=204, responses=NOT_FOUND)
def delete_note(note_id: int) -> Response:
    notes.pop(_note(note_id).id)
    return Response(status_code=204)


app = reference()
app.include_router(router)
