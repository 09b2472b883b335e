"""DELETE of an item answers 200 with a body instead of 204 without one."""

from typing import Any

from tests.mutants._base import reference, rewrite_document
from tests.mutants._bodies import AnswerRewrite

CAUGHT_BY = frozenset({"DATA-04"})


class DeleteSays200(AnswerRewrite):
    method = "DELETE"
    path_prefix = "/items/"
    status = 204
    new_status = 200
    body = b'{"deleted": true}'


def document_200(document: dict[str, Any]) -> None:
    """The document owns up to the 200, so only the contract's 204 is broken."""
    responses = document["paths"]["/items/{item_id}"]["delete"]["responses"]
    schema = {"type": "object", "properties": {"deleted": {"type": "boolean"}}}
    responses["200"] = {
        "description": "Deleted",
        "content": {"application/json": {"schema": schema}},
    }


app = reference()
app.add_middleware(DeleteSays200)
rewrite_document(app, document_200)
