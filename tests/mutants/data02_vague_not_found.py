"""An unknown item is a 404 that does not say what was not found."""

from fastapi import HTTPException

import reference_app.routers.items
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"DATA-02"})


def vague_not_found() -> HTTPException:
    return HTTPException(404, "Not Found")


reference_app.routers.items._not_found = vague_not_found
app = reference()
