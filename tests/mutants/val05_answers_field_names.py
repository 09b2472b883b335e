"""The legacy item is answered under its Python field names instead of its aliases."""

from fastapi import APIRouter

from reference_app.routers.legacy import LegacyItem
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"VAL-05"})

router = APIRouter()


@router.post("/legacy/items", response_model=LegacyItem, response_model_by_alias=False)
async def create_legacy_item(payload: LegacyItem) -> LegacyItem:
    return payload


app = reference()
shadow_routes(app, router)
