"""Offset pagination as a class-based dependency (PAGE-01)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Query, status


@dataclass(frozen=True)
class Page:
    skip: int
    limit: int


class Paginator:
    """``skip >= 0`` and ``limit >= 1`` are 422s; ``limit > max_limit`` is a 400.

    The maximum is still declared in the OpenAPI document, so clients and fuzzers
    know the bound even though the answer is 400 rather than 422. (The documented
    maximum is fixed at the SPEC's 50: parameter defaults are evaluated at import.)
    """

    def __init__(self, max_limit: int = 50) -> None:
        self.max_limit = max_limit

    def __call__(
        self,
        skip: int = Query(0, ge=0),
        limit: int = Query(20, ge=1, json_schema_extra={"maximum": 50}),
    ) -> Page:
        if limit > self.max_limit:
            raise HTTPException(
                status.HTTP_400_BAD_REQUEST, f"limit cannot exceed {self.max_limit}"
            )
        return Page(skip=skip, limit=limit)


paginate = Paginator(max_limit=50)
