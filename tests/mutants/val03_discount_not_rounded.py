"""The discounted price is computed but not rounded to cents."""

from fastapi import APIRouter

from reference_app.routers.products import ProductIn
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"VAL-03"})

router = APIRouter()


@router.post("/products")
async def create_product(payload: ProductIn) -> dict[str, object]:
    discounted = payload.price * (1 - payload.discount_percent / 100)
    return {**payload.model_dump(), "discounted_price": discounted,
            "on_sale": payload.discount_percent > 0}  # fmt: skip


app = reference()
shadow_routes(app, router)
