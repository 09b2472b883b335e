"""A non-zero skip is taken as 1-based: the second page repeats the first page's last row.

Only the first page boundary overlaps (every later page is shifted alike), so a walk that
starts next to its own rows far into the table never sees it; a client walking from the
start does.
"""

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import select

from reference_app.database import SessionDep
from reference_app.models import Item
from reference_app.pagination import Page, paginate
from reference_app.schemas import ItemOut, ItemPage
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"PAGE-02", "PAGE-07"})  # PAGE-07 walks GET /items from the start

app = reference()
router = APIRouter()


@router.get("/items", response_model=ItemPage, dependencies=[Depends(app.state.rate_limiter)])
async def list_items(page: Annotated[Page, Depends(paginate)], session: SessionDep) -> ItemPage:
    start = page.skip - 1 if page.skip else 0
    rows = await session.scalars(select(Item).order_by(Item.id).offset(start).limit(page.limit))
    items = [ItemOut.model_validate(row) for row in rows]
    return ItemPage(items=items, skip=page.skip, limit=page.limit)


shadow_routes(app, router)
