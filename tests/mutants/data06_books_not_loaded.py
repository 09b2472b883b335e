"""The author's books are never loaded: the relation always reads as empty."""

from typing import Any

from pydantic import model_validator

import reference_app.routers.authors
from reference_app.routers.authors import AuthorWithBooks
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"DATA-06"})


class WithoutBooks(AuthorWithBooks):
    @model_validator(mode="before")
    @classmethod
    def forget_books(cls, author: Any) -> Any:
        return {"id": author.id, "name": author.name, "books": []}


reference_app.routers.authors.AuthorWithBooks = WithoutBooks  # type: ignore[misc]
app = reference()
