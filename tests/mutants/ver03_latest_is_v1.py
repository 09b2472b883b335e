"""The API root names v1 as the latest version."""

from fastapi import APIRouter

from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"VER-03"})

router = APIRouter()


@router.get("/")
async def api_info() -> dict[str, object]:
    return {"versions": ["v1", "v2"], "latest": "v1", "v1_docs": "/v1/docs", "v2_docs": "/v2/docs"}


app = reference()
shadow_routes(app, router)
