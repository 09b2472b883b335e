"""A response object loses its required ``description``: the document is no longer valid."""

from typing import Any

from tests.mutants._base import reference, rewrite_document

CAUGHT_BY = frozenset({"OAS-01"})


def drop_description(document: dict[str, Any]) -> None:
    del document["paths"]["/health"]["get"]["responses"]["200"]["description"]


app = reference()
rewrite_document(app, drop_description)
