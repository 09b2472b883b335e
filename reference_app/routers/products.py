"""Products with computed fields (VAL-03): the discount is applied by the model itself.

Like /orders/items and /legacy/items, nothing is stored: the answer is 200, not 201,
because there is no created resource a Location could point at.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field, computed_field

router = APIRouter(tags=["products"])


class ProductIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    # strict: a JSON boolean is not a number (the document says number; FUZZ-04)
    price: float = Field(gt=0, strict=True)
    discount_percent: float = Field(default=0, ge=0, le=100, strict=True)


class Product(ProductIn):
    @computed_field  # type: ignore[prop-decorator]
    @property
    def discounted_price(self) -> float:
        return round(self.price * (1 - self.discount_percent / 100), 2)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def on_sale(self) -> bool:
        return self.discount_percent > 0


@router.post("/products", response_model=Product)
async def create_product(payload: ProductIn) -> Product:
    return Product(**payload.model_dump())
