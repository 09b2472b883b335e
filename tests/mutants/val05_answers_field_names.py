"""The legacy item is answered under its Python field names instead of its aliases."""

from typing import Any

from fastapi import APIRouter

from reference_app.routers.legacy import LegacyItem
from tests.mutants._base import reference, rewrite_document, shadow_routes

CAUGHT_BY = frozenset({"VAL-05"})

router = APIRouter()


@router.post("/legacy/items", response_model=LegacyItem, response_model_by_alias=False)
async def create_legacy_item(payload: LegacyItem) -> LegacyItem:
    return payload


def any_object(document: dict[str, Any]) -> None:
    """The document stops naming the answer's fields, so only the contract's names break."""
    answer = document["paths"]["/legacy/items"]["post"]["responses"]["200"]
    answer["content"]["application/json"]["schema"] = {"type": "object"}


app = reference()
shadow_routes(app, router)
rewrite_document(app, any_object)
