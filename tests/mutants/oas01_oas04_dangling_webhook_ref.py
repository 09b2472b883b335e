"""The tutorial's webhook: its body refers to an ``Item`` schema that does not exist."""

from typing import Any

from tests.mutants._base import reference, rewrite_document

CAUGHT_BY = frozenset({"OAS-01", "OAS-04"})


def dangle(document: dict[str, Any]) -> None:
    body = document["webhooks"]["item-created"]["post"]["requestBody"]
    body["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/Item"}


app = reference()
rewrite_document(app, dangle)
