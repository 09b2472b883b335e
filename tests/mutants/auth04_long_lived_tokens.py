"""Tokens live two hours instead of the configured 30 minutes."""

from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-04"})

app = reference(jwt_expire_minutes=120)
