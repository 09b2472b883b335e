"""Item collection: paginated, rate-limited listing and create/read (PAGE-01, RATE, DATA)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from sqlalchemy import select

from reference_app.database import SessionDep
from reference_app.models import Item
from reference_app.pagination import Page, paginate
from reference_app.rate_limit import RateLimiter
from reference_app.schemas import ItemCreate, ItemOut, ItemPage, error_responses


def build_items_router(limiter: RateLimiter) -> APIRouter:
    """Items routes; ``limiter`` is per app so separate apps never share budgets."""
    router = APIRouter(tags=["items"])

    # The limiter is a route dependency: it runs first, so even 400s and 422s count.
    @router.get(
        "/items",
        response_model=ItemPage,
        dependencies=[Depends(limiter)],
        responses=error_responses(400, 429),
    )
    async def list_items(page: Annotated[Page, Depends(paginate)], session: SessionDep) -> ItemPage:
        rows = await session.scalars(
            select(Item).order_by(Item.id).offset(page.skip).limit(page.limit)
        )
        items = [ItemOut.model_validate(row) for row in rows]
        return ItemPage(items=items, skip=page.skip, limit=page.limit)

    @router.post("/items", response_model=ItemOut, status_code=status.HTTP_201_CREATED)
    async def create_item(
        payload: ItemCreate, session: SessionDep, request: Request, response: Response
    ) -> ItemOut:
        item = Item(**payload.model_dump())
        session.add(item)
        await session.flush()
        response.headers["Location"] = request.app.url_path_for("get_item", item_id=item.id)
        return ItemOut.model_validate(item)

    @router.get("/items/{item_id}", response_model=ItemOut, responses=error_responses(404))
    async def get_item(item_id: int, session: SessionDep) -> ItemOut:
        item = await session.get(Item, item_id)
        if item is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "Item not found")
        return ItemOut.model_validate(item)

    return router
