"""A legacy payload whose field names are not Python names (VAL-05)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

router = APIRouter(tags=["legacy"])


class LegacyItem(BaseModel):
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    item_id: int = Field(alias="ItemID")
    item_name: str = Field(alias="ItemName", min_length=1)
    cost_usd: float = Field(alias="Cost_USD", ge=0)


@router.post(
    "/legacy/items",
    response_model=LegacyItem,
    response_model_by_alias=True,
)
async def create_legacy_item(payload: LegacyItem) -> LegacyItem:
    return payload
