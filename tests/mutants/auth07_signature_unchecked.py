"""Signatures are not verified: tampered, re-signed and alg-none tokens get in."""

from tests.mutants import _jwt
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-07", "AUTH-09", "AUTH-10"})

_jwt.install(options={"verify_signature": False})
app = reference()
