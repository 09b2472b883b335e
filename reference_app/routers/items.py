"""Items: paginated, rate-limited listing, keyset cursor pages and CRUD (DATA, PAGE, RATE)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response, status
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reference_app.cursor import InvalidCursor, decode_cursor, encode_cursor
from reference_app.database import SessionDep
from reference_app.ids import DbId
from reference_app.models import Item
from reference_app.pagination import Page, paginate
from reference_app.rate_limit import RateLimiter
from reference_app.schemas import ItemCreate, ItemOut, ItemPage, error_responses


class ItemUpdate(BaseModel):
    """A partial update: absent fields stay; ``description`` may be cleared with null."""

    # Absent is allowed, null is not (DATA-03), and the document says so: the types hold no
    # null, the default is never validated. strict: a JSON boolean is not a number (FUZZ-04).
    name: str = Field(default=None, min_length=1, max_length=100)
    price: float = Field(default=None, gt=0, allow_inf_nan=False, strict=True)
    description: str | None = Field(default=None, max_length=500)


class CursorPage(BaseModel):
    items: list[ItemOut]
    next_cursor: str | None
    has_more: bool


def _not_found() -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, "Item not found")


def start_after(request: Request, cursor: str | None) -> int:
    """The id the page starts after; an undecodable cursor restarts or is a 400 (PAGE-04)."""
    if not cursor:
        return 0
    try:
        return decode_cursor(cursor)
    except InvalidCursor:
        if request.app.state.settings.invalid_cursor == "400":
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "Invalid cursor") from None
        return 0


async def keyset_page(session: AsyncSession, last_id: int, limit: int) -> CursorPage:
    """Keyset pagination: ``WHERE id > :last ORDER BY id LIMIT :limit + 1``.

    The extra row only tells whether another page exists; the cost of a page does not
    grow with its depth (an index seek on the primary key), unlike OFFSET.
    """
    rows = list(
        await session.scalars(
            select(Item).where(Item.id > last_id).order_by(Item.id).limit(limit + 1)
        )
    )
    has_more = len(rows) > limit
    items = [ItemOut.model_validate(row) for row in rows[:limit]]
    next_cursor = encode_cursor(items[-1].id) if has_more else None
    return CursorPage(items=items, next_cursor=next_cursor, has_more=has_more)


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

    # Declared before /items/{item_id}, which would otherwise claim the path. (The item
    # routes match digits only, ``{item_id:int}``: a PATCH to /items/cursor-paginated is a
    # 405 naming GET, not a 422 about an id; the document's path stays /items/{item_id}.)
    @router.get(
        "/items/cursor-paginated", response_model=CursorPage, responses=error_responses(400)
    )
    async def cursor_page(
        request: Request,
        session: SessionDep,
        cursor: str | None = None,
        limit: int = Query(10, ge=1, le=50),
    ) -> CursorPage:
        return await keyset_page(session, start_after(request, cursor), limit)

    @router.get("/items/{item_id:int}", response_model=ItemOut, responses=error_responses(404))
    async def get_item(item_id: DbId, session: SessionDep) -> ItemOut:
        item = await session.get(Item, item_id)
        if item is None:
            raise _not_found()
        return ItemOut.model_validate(item)

    @router.patch("/items/{item_id:int}", response_model=ItemOut, responses=error_responses(404))
    async def update_item(item_id: DbId, payload: ItemUpdate, session: SessionDep) -> ItemOut:
        item = await session.get(Item, item_id)
        if item is None:
            raise _not_found()
        changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
        for field, value in changes.items():
            setattr(item, field, value)
        await session.flush()
        return ItemOut.model_validate(item)

    @router.delete(
        "/items/{item_id:int}",
        status_code=status.HTTP_204_NO_CONTENT,
        response_class=Response,
        responses=error_responses(404),
    )
    async def delete_item(item_id: DbId, session: SessionDep) -> Response:
        item = await session.get(Item, item_id)
        if item is None:
            raise _not_found()
        await session.delete(item)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router
