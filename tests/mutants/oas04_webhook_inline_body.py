"""The webhook's body is an inline free-form object instead of the Item schema."""

from typing import Any

from tests.mutants._base import reference, rewrite_document

CAUGHT_BY = frozenset({"OAS-04"})


def inline(document: dict[str, Any]) -> None:
    body = document["webhooks"]["item-created"]["post"]["requestBody"]
    body["content"]["application/json"]["schema"] = {"type": "object"}


app = reference()
rewrite_document(app, inline)
