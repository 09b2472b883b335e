"""An odd limit is rounded up to the next even number: pages of 3 hold 4 rows, so each
page repeats the first row of the next.

A walk in pages of 2 (PAGE-07's) sees nothing wrong; the offset walk of PAGE-02 (pages of
3) does.
"""

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import select

from reference_app.database import SessionDep
from reference_app.models import Item
from reference_app.pagination import Page, paginate
from reference_app.schemas import ItemOut, ItemPage
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"PAGE-02"})

app = reference()
router = APIRouter()


@router.get("/items", response_model=ItemPage, dependencies=[Depends(app.state.rate_limiter)])
async def list_items(page: Annotated[Page, Depends(paginate)], session: SessionDep) -> ItemPage:
    rows_wanted = page.limit + page.limit % 2
    query = select(Item).order_by(Item.id).offset(page.skip).limit(rows_wanted)
    items = [ItemOut.model_validate(row) for row in await session.scalars(query)]
    return ItemPage(items=items, skip=page.skip, limit=page.limit)


shadow_routes(app, router)
