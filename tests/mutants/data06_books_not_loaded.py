"""The author's books are never loaded: the relation always reads as empty."""

from sqlalchemy.orm import noload

import reference_app.routers.authors
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"DATA-06"})

reference_app.routers.authors.selectinload = noload  # type: ignore[assignment]
app = reference()
