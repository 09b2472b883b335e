"""``GET /reports`` still demands a token, but the document says nothing about it."""

from typing import Any

from tests.mutants._base import reference, rewrite_document

CAUGHT_BY = frozenset({"OAS-05"})


def unsecure(document: dict[str, Any]) -> None:
    del document["paths"]["/reports"]["get"]["security"]


app = reference()
rewrite_document(app, unsecure)
