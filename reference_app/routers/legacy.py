"""A legacy payload whose field names are not Python names (VAL-05)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from reference_app.numbers import JsonInt

router = APIRouter(tags=["legacy"])


class LegacyItem(BaseModel):
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    item_id: JsonInt = Field(alias="ItemID")
    item_name: str = Field(alias="ItemName", min_length=1)
    cost_usd: float = Field(alias="Cost_USD", ge=0, strict=True)  # strict: no booleans


@router.post(
    "/legacy/items",
    response_model=LegacyItem,
    response_model_by_alias=True,
)
async def create_legacy_item(payload: LegacyItem) -> LegacyItem:
    return payload
