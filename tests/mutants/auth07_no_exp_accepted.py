"""A token without exp is accepted: it would never expire."""

from tests.mutants import _jwt
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-07", "AUTH-09"})

_jwt.install(options={"require_exp": False})
app = reference()
