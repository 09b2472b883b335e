"""The cursor page size has no bounds (a client can ask for the whole table, or for 0)."""

from fastapi import APIRouter, Request

from reference_app.database import SessionDep
from reference_app.routers.items import CursorPage, keyset_page, start_after
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"PAGE-03", "PAGE-07"})

router = APIRouter()


@router.get("/items/cursor-paginated", response_model=CursorPage)
async def cursor_page(
    request: Request, session: SessionDep, cursor: str | None = None, limit: int = 10
) -> CursorPage:
    return await keyset_page(session, start_after(request, cursor), max(limit, 1))


app = reference()
shadow_routes(app, router)
