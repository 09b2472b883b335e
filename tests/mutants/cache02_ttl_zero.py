"""The item cache expires entries at once: nothing is ever served from it."""

import reference_app.routers.cache
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"CACHE-02"})

reference_app.routers.cache.ITEM_TTL_SECONDS = 0.0
app = reference()
