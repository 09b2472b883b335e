"""PATCH writes every optional field, so an omitted description is cleared."""

from typing import Any

import reference_app.routers.items
from reference_app.routers.items import ItemUpdate
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"DATA-03", "DATA-09"})


class FullUpdate(ItemUpdate):
    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        changes = super().model_dump(**kwargs)
        changes.setdefault("description", None)
        return changes


reference_app.routers.items.ItemUpdate = FullUpdate  # type: ignore[misc]
app = reference()
