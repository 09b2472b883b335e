"""An API shaped like FastAPI's SQL databases tutorial (docs_src/sql_databases/tutorial002).

Heroes without any login: ``POST /heroes/``, ``GET /heroes/`` paged by ``offset`` and
``limit`` (``limit`` at most 100, neither bounded below), ``GET``/``PATCH``/``DELETE
/heroes/{hero_id}``. Like the tutorial it has no ``/users/me`` and no token endpoint: its
profile comes from ``conformance init`` without ``--user``.

Its bugs, as the tutorial has them:
- ``PATCH`` takes ``"name": null`` (every field of the update model is optional and
  nullable) and the store's NOT NULL constraint answers it with a 500 (FUZZ-01; the text
  500 is ERR-07's too);
- ``offset=-1`` and ``limit=-1`` are accepted (PAGE-07; SQLite reads a negative limit as
  none at all);
- the 404 of an unknown hero is not documented (OAS-06).
"""

from __future__ import annotations

import itertools
import threading
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query
from pydantic import BaseModel


class HeroCreate(BaseModel):
    name: str
    age: int | None = None
    secret_name: str


class HeroPublic(BaseModel):
    id: int
    name: str
    age: int | None = None


class HeroUpdate(BaseModel):
    name: str | None = None
    age: int | None = None
    secret_name: str | None = None


class Store:
    """Rows with NOT NULL ``name`` and ``secret_name``, as the tutorial's table has them."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[str, Any]] = {}
        self.ids = itertools.count(1)
        self.lock = threading.Lock()

    def save(self, row: dict[str, Any]) -> dict[str, Any]:
        for column in ("name", "secret_name"):
            if row.get(column) is None:
                raise RuntimeError(f"NOT NULL constraint failed: hero.{column}")
        with self.lock:
            self.rows[row["id"]] = row
        return row


store = Store()
app = FastAPI()


@app.post("/heroes/", response_model=HeroPublic)
def create_hero(hero: HeroCreate) -> dict[str, Any]:
    return store.save({"id": next(store.ids), **hero.model_dump()})


@app.get("/heroes/", response_model=list[HeroPublic])
def read_heroes(offset: int = 0, limit: Annotated[int, Query(le=100)] = 100) -> list[Any]:
    rows = sorted(store.rows.values(), key=lambda row: row["id"])[max(offset, 0) :]
    return rows if limit < 0 else rows[:limit]


@app.get("/heroes/{hero_id}", response_model=HeroPublic)
def read_hero(hero_id: int) -> dict[str, Any]:
    if hero_id not in store.rows:
        raise HTTPException(status_code=404, detail="Hero not found")
    return store.rows[hero_id]


@app.patch("/heroes/{hero_id}", response_model=HeroPublic)
def update_hero(hero_id: int, hero: HeroUpdate) -> dict[str, Any]:
    if hero_id not in store.rows:
        raise HTTPException(status_code=404, detail="Hero not found")
    return store.save({**store.rows[hero_id], **hero.model_dump(exclude_unset=True)})


@app.delete("/heroes/{hero_id}")
def delete_hero(hero_id: int) -> dict[str, bool]:
    if store.rows.pop(hero_id, None) is None:
        raise HTTPException(status_code=404, detail="Hero not found")
    return {"ok": True}
