"""The computation, timestamped with a float as in the tutorial, is computed on every call."""

from tests.mutants._base import reference
from tests.mutants._compute import float_compute_route

CAUGHT_BY = frozenset({"CACHE-01"})

app = reference()
float_compute_route(app, cached=False)
