"""RFC 9457 bodies served as plain application/json instead of application/problem+json."""

from typing import Any

from starlette.responses import JSONResponse

import reference_app.errors
from tests.mutants._base import reference, rewrite_document

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


reference_app.errors.JSONResponse = PlainJSON  # type: ignore[misc]
app = reference(error_envelope="rfc9457")
rewrite_document(app, document_plain_json)
