"""The document drops the minimum length of an author's name, which the server enforces.

So a schema-valid name ("") is refused with 422: only the fuzz area sends what the
document allows without being told what the server wants.
"""

from typing import Any

from tests.mutants._base import reference, rewrite_document

CAUGHT_BY = frozenset({"FUZZ-04"})


def drop_min_length(document: dict[str, Any]) -> None:
    del document["components"]["schemas"]["AuthorCreate"]["properties"]["name"]["minLength"]


app = reference()
rewrite_document(app, drop_min_length)
