"""The offset paginator refuses the maximum limit itself (limit=50 → 400), not only above it."""

from fastapi import HTTPException, Query

import reference_app.routers.items
from reference_app.pagination import Page
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"PAGE-01", "PAGE-07"})


def off_by_one_paginate(
    skip: int = Query(0, ge=0), limit: int = Query(20, ge=1, json_schema_extra={"maximum": 50})
) -> Page:
    if limit >= 50:
        raise HTTPException(400, "limit cannot exceed 50")
    return Page(skip=skip, limit=limit)


reference_app.routers.items.paginate = off_by_one_paginate  # type: ignore[assignment]
app = reference()
