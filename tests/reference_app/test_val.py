"""VAL-03..05: the request models' computed fields, casings and aliases."""

from __future__ import annotations

from pathlib import Path

import pytest
from refapp_support import client_for

pytestmark = pytest.mark.anyio


async def test_product_discount_is_computed_and_rounded(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        sale = await client.post("/products", json={"name": "p", "price": 33.33,
                                                     "discount_percent": 33})  # fmt: skip
        plain = await client.post("/products", json={"name": "p", "price": 10})
        bad = await client.post("/products", json={"name": "p", "price": 1,
                                                    "discount_percent": 101})  # fmt: skip
    assert sale.json() == {"name": "p", "price": 33.33, "discount_percent": 33,
                           "discounted_price": 22.33, "on_sale": True}  # fmt: skip
    assert plain.json()["discounted_price"] == 10 and plain.json()["on_sale"] is False
    assert bad.status_code == 422
    assert bad.json()["details"][0]["loc"] == ["body", "discount_percent"]


async def test_order_items_take_both_casings_and_answer_camel_case(tmp_path: Path) -> None:
    camel = {"productId": 1, "unitPrice": 2.5, "quantity": 2, "discountCode": None}
    snake = {"product_id": 1, "unit_price": 2.5, "quantity": 2}
    async with client_for(tmp_path) as client:
        answers = [
            (await client.post("/orders/items", json=body)).json() for body in (camel, snake)
        ]
    assert answers == [camel, camel]


async def test_legacy_items_keep_their_names(tmp_path: Path) -> None:
    item = {"ItemID": 3, "ItemName": "old", "Cost_USD": 1.25}
    async with client_for(tmp_path) as client:
        response = await client.post("/legacy/items", json=item)
        missing = await client.post("/legacy/items", json={"item_id": 3})
    assert response.json() == item
    assert missing.status_code == 422
