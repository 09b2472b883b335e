"""Statuses outside ERR-02's table get their own code (405 METHOD_NOT_ALLOWED), not HTTP_ERROR."""

import reference_app.errors
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"ERR-02"})

reference_app.errors.ERROR_CODES[405] = "METHOD_NOT_ALLOWED"
app = reference()
