"""Each offset page starts one row further back: it repeats the last item of the one before."""

from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy import select

from reference_app.database import SessionDep
from reference_app.models import Item
from reference_app.pagination import Page, paginate
from reference_app.schemas import ItemOut, ItemPage
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"PAGE-02", "PAGE-07"})

app = reference()
router = APIRouter()


@router.get("/items", response_model=ItemPage, dependencies=[Depends(app.state.rate_limiter)])
async def list_items(page: Annotated[Page, Depends(paginate)], session: SessionDep) -> ItemPage:
    rows = await session.scalars(
        select(Item).order_by(Item.id).offset(page.skip - page.skip // page.limit).limit(page.limit)
    )
    items = [ItemOut.model_validate(row) for row in rows]
    return ItemPage(items=items, skip=page.skip, limit=page.limit)


shadow_routes(app, router)
