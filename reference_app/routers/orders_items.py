"""Order lines in camelCase (VAL-04): either casing in, camelCase out."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from reference_app.numbers import JsonInt

router = APIRouter(tags=["orders"])


class OrderItem(BaseModel):
    # validate_by_name: snake_case input is accepted beside the camelCase aliases.
    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=True
    )

    # no JSON boolean (or string) as a number: the document says number (FUZZ-04)
    product_id: JsonInt = Field(gt=0)
    unit_price: float = Field(gt=0, strict=True)
    quantity: JsonInt = Field(ge=1)
    discount_code: str | None = None


@router.post(
    "/orders/items",
    response_model=OrderItem,
    response_model_by_alias=True,
)
async def create_order_item(payload: OrderItem) -> OrderItem:
    return payload
