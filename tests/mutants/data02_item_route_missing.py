"""No route reads one item: GET /items/{id} is a route-level 404 for every id, existing or not.

The profile checks no 404 message (``item_not_found = ""``), so only reading an existing
item on the same route tells this 404 from an "item not found".
"""

from fastapi import APIRouter, HTTPException

from reference_app.database import SessionDep
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"DATA-01", "DATA-02", "DATA-03", "DATA-05", "DATA-09"})
PROFILE = '[messages]\nitem_not_found = ""\n'

router = APIRouter()


@router.get("/items/{item_id:int}")  # digits only: /items/cursor-paginated stays served
async def no_such_route(item_id: int, session: SessionDep) -> None:
    raise HTTPException(404, "Not Found")


app = reference()
shadow_routes(app, router)
