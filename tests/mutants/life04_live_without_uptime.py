"""Liveness answers without its uptime."""

from fastapi import APIRouter

from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"LIFE-04"})

router = APIRouter()


@router.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "alive"}


app = reference()
shadow_routes(app, router)
