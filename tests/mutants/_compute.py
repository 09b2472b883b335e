"""A ``GET /compute/{key}`` whose ``computed_at`` is a float, as the tutorial's ``time.time()``.

SPEC.md's CACHE-01 allows any JSON scalar there; the document is rewritten to say so, so
the answers agree with it (OAS-06).
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, FastAPI

from tests.mutants._base import rewrite_document, shadow_routes


def _number_timestamp(document: dict[str, Any]) -> None:
    schema = document["components"]["schemas"]["Computed"]
    schema["properties"]["computed_at"] = {"type": "number", "title": "Computed At"}


def float_compute_route(app: FastAPI, *, cached: bool) -> None:
    """Serve the computation with a float timestamp, cached per app or computed every time."""
    cache: dict[str, dict[str, Any]] = {}
    router = APIRouter()

    @router.get("/compute/{key}")
    async def compute(key: str) -> dict[str, Any]:
        if cached and key in cache:
            return cache[key]
        answer = {"key": key, "result": key.upper() * 3, "computed_at": time.time()}
        if cached:
            cache[key] = answer
        return answer

    shadow_routes(app, router)
    rewrite_document(app, _number_timestamp)
