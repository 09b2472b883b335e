"""Any HMAC algorithm is accepted, not just the configured one."""

from tests.mutants import _jwt
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-07", "AUTH-09"})

_jwt.install(algorithms=["HS256", "HS384", "HS512"])
app = reference()
