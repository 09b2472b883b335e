"""Liveness answers without its uptime."""

from typing import Any

from fastapi import APIRouter

from tests.mutants._base import reference, rewrite_document, shadow_routes

CAUGHT_BY = frozenset({"LIFE-04"})

router = APIRouter()


@router.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "alive"}


def uptime_optional(document: dict[str, Any]) -> None:
    """The document agrees with the answer, so only the contract's uptime is missing."""
    document["components"]["schemas"]["Liveness"]["required"].remove("uptime")


app = reference()
shadow_routes(app, router)
rewrite_document(app, uptime_optional)
