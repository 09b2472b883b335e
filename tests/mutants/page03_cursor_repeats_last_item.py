"""The next cursor points one row back: every page repeats the previous page's last item."""

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from reference_app.cursor import encode_cursor
from reference_app.database import SessionDep
from reference_app.models import Item
from reference_app.routers.items import CursorPage, start_after
from reference_app.schemas import ItemOut
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"PAGE-03", "PAGE-05"})

router = APIRouter()


@router.get("/items/cursor-paginated", response_model=CursorPage)
async def cursor_page(
    request: Request,
    session: SessionDep,
    cursor: str | None = None,
    limit: int = Query(10, ge=1, le=50),
) -> CursorPage:
    last_id = start_after(request, cursor)
    rows = list(
        await session.scalars(
            select(Item).where(Item.id > last_id).order_by(Item.id).limit(limit + 1)
        )
    )
    has_more = len(rows) > limit
    items = [ItemOut.model_validate(row) for row in rows[:limit]]
    return CursorPage(
        items=items,
        next_cursor=encode_cursor(items[-1].id - 1) if has_more else None,
        has_more=has_more,
    )


app = reference()
shadow_routes(app, router)
