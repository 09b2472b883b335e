"""Expired tokens are still accepted (exp is not verified)."""

from tests.mutants import _jwt
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-07", "AUTH-09", "AUTH-10"})

_jwt.install(options={"leeway": 10**9})  # any expiry is "recent enough"
app = reference()
