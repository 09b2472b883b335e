"""A cursor limit above 50 is clamped to 50 instead of refused with a 422 (PAGE-07 allows
the clamp: a page still keeps to the documented maximum; PAGE-03 names the 422)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from reference_app.database import SessionDep
from reference_app.routers.items import CursorPage, keyset_page, start_after
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"PAGE-03"})

router = APIRouter()


@router.get("/items/cursor-paginated", response_model=CursorPage)
async def cursor_page(
    request: Request,
    session: SessionDep,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1)] = 10,
) -> CursorPage:
    return await keyset_page(session, start_after(request, cursor), min(limit, 50))


app = reference()
shadow_routes(app, router)
