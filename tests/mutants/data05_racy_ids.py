"""Ids are allocated as max(id) + 1 outside the database: concurrent creates collide."""

import asyncio
from typing import Any

from fastapi import APIRouter, Response
from sqlalchemy import func, select

from reference_app.database import SessionDep
from reference_app.models import Item
from reference_app.schemas import ItemCreate, ItemOut
from tests.mutants._base import reference, rewrite_document, shadow_routes

CAUGHT_BY = frozenset({"DATA-05"})

router = APIRouter()


@router.post("/items", response_model=ItemOut, status_code=201)
async def create_item(payload: ItemCreate, session: SessionDep, response: Response) -> ItemOut:
    next_id = int(await session.scalar(select(func.max(Item.id))) or 0) + 1
    await asyncio.sleep(0.05)  # the window in which another request picks the same id
    item = await session.merge(Item(id=next_id, **payload.model_dump()))
    await session.flush()
    response.headers["Location"] = f"/items/{item.id}"
    return ItemOut.model_validate(item)


def document_500(document: dict[str, Any]) -> None:
    """Colliding inserts can also fail with a 500; the document owns up to it."""
    responses = document["paths"]["/items"]["post"]["responses"]
    responses["500"] = responses["422"]


app = reference()
shadow_routes(app, router)
rewrite_document(app, document_500)
