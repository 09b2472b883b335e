"""The cursor page's limit lost its lower bound: a negative one reaches the query and
answers 500 (zero is still refused, so PAGE-03's probes of 0 and the maximum pass)."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError

from reference_app.database import SessionDep
from reference_app.routers.items import CursorPage, keyset_page, start_after
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"PAGE-07"})

router = APIRouter()


@router.get("/items/cursor-paginated", response_model=CursorPage)
async def cursor_page(
    request: Request,
    session: SessionDep,
    cursor: str | None = None,
    limit: Annotated[int, Query(le=50)] = 10,
) -> CursorPage:
    if limit < 0:  # like PostgreSQL's "LIMIT must not be negative", answered as a 500
        raise HTTPException(500, "Internal Server Error")
    if limit == 0:
        message = "Input should be greater than or equal to 1"
        error = {"type": "greater_than_equal", "loc": ("query", "limit"), "msg": message,
                 "input": "0", "ctx": {"ge": 1}}  # fmt: skip
        raise RequestValidationError([error])
    return await keyset_page(session, start_after(request, cursor), limit)


app = reference()
shadow_routes(app, router)
