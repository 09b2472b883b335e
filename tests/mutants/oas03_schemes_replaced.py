"""The tutorial's override: its two schemes replace FastAPI's, losing the OAuth2 flow."""

from typing import Any

from reference_app.openapi import EXTRA_SECURITY_SCHEMES
from tests.mutants._base import reference, rewrite_document

CAUGHT_BY = frozenset({"OAS-03"})


def replace_schemes(document: dict[str, Any]) -> None:
    document["components"]["securitySchemes"] = dict(EXTRA_SECURITY_SCHEMES)


app = reference()
rewrite_document(app, replace_schemes)
