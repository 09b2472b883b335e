"""The document's ``info`` has no ``x-logo``."""

from typing import Any

from tests.mutants._base import reference, rewrite_document

CAUGHT_BY = frozenset({"OAS-02"})


def drop_logo(document: dict[str, Any]) -> None:
    del document["info"]["x-logo"]


app = reference()
rewrite_document(app, drop_logo)
