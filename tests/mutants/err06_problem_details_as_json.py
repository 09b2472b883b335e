"""RFC 9457 bodies served as plain application/json instead of application/problem+json."""

from typing import Any

from starlette.responses import JSONResponse

import reference_app.errors
import reference_app.openapi
from reference_app.openapi import build_document
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"ERR-06"})
PROFILE = 'envelope = "rfc9457"\n'


class PlainJSON(JSONResponse):
    def __init__(self, *args: Any, media_type: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


def document_plain_json(document: dict[str, Any]) -> None:
    """The document says application/json too, so only the contract's media type is broken."""
    for path_item in document["paths"].values():
        for operation in path_item.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                if "application/problem+json" in content:
                    content["application/json"] = content.pop("application/problem+json")


def plain_json_documents(*args: Any, **kwargs: Any) -> dict[str, Any]:
    document = build_document(*args, **kwargs)
    document_plain_json(document)
    return document


reference_app.errors.JSONResponse = PlainJSON  # type: ignore[misc]
# Every document (the root's and the sub-apps') is built through this one function.
reference_app.openapi.build_document = plain_json_documents
app = reference(error_envelope="rfc9457")
