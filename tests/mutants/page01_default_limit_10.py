"""The offset paginator's default limit is 10, not SPEC's 20 (the document says 10 too,
so only the tutorial's contract tells)."""

from fastapi import HTTPException, Query

import reference_app.routers.items
from reference_app.pagination import Page
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"PAGE-01"})


def paginate_by_ten(
    skip: int = Query(0, ge=0), limit: int = Query(10, ge=1, json_schema_extra={"maximum": 50})
) -> Page:
    if limit > 50:
        raise HTTPException(400, "limit cannot exceed 50")
    return Page(skip=skip, limit=limit)


reference_app.routers.items.paginate = paginate_by_ten  # type: ignore[assignment]
app = reference()
