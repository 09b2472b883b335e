"""PATCH drops null values, so ``"description": null`` no longer clears the description."""

from typing import Any

import reference_app.routers.items
from reference_app.routers.items import ItemUpdate
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"DATA-03"})


class NullsIgnored(ItemUpdate):
    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        return {k: v for k, v in super().model_dump(**kwargs).items() if v is not None}


reference_app.routers.items.ItemUpdate = NullsIgnored  # type: ignore[misc]
app = reference()
