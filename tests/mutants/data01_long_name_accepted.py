"""The item model has no length bounds: the database (here: nothing) decides."""

from pydantic import BaseModel

import reference_app.routers.items
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"DATA-01"})


class UnboundedItemCreate(BaseModel):
    name: str
    price: float
    description: str | None = None


reference_app.routers.items.ItemCreate = UnboundedItemCreate  # type: ignore[misc]
app = reference()
