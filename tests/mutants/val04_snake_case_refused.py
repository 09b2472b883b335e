"""Order items accept only their camelCase aliases, not the field names."""

from fastapi import APIRouter
from pydantic import ConfigDict

from reference_app.routers.orders_items import OrderItem
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"VAL-04"})


class AliasOnlyOrderItem(OrderItem):
    model_config = ConfigDict(validate_by_name=False, validate_by_alias=True)


router = APIRouter()


@router.post("/orders/items", response_model=AliasOnlyOrderItem, response_model_by_alias=True)
async def create_order_item(payload: AliasOnlyOrderItem) -> AliasOnlyOrderItem:
    return payload


app = reference()
shadow_routes(app, router)
