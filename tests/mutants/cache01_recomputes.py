"""The computation is not cached: every call computes again."""

import reference_app.routers.cache
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"CACHE-01"})

reference_app.routers.cache._compute_cache = lambda request: reference_app.routers.cache._compute
app = reference()
