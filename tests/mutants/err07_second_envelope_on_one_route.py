"""One route answers its 404 in FastAPI's own envelope, every other error in the tutorial's.

The admin's DELETE of an absent user answers ``{"detail": "User not found"}``; the document
owns up to that shape (so OAS-06 has nothing to say), and no contract check reads that
404's body (the RBAC-03 matrix only asks that the admin is let through). Only ERR-07, which
looks at every error answer of the run, sees the second envelope.
"""

from typing import Any

from tests.mutants._base import reference, rewrite_document
from tests.mutants._bodies import AnswerRewrite

CAUGHT_BY = frozenset({"ERR-07"})


class SecondEnvelope(AnswerRewrite):
    method = "DELETE"
    path_prefix = "/admin/users/"
    status = 404
    body = b'{"detail": "User not found"}'


def document_detail(document: dict[str, Any]) -> None:
    """The document declares the FastAPI shape for that 404, so only ERR-07 is broken."""
    responses = document["paths"]["/admin/users/{user_id}"]["delete"]["responses"]
    schema = {
        "type": "object",
        "required": ["detail"],
        "properties": {"detail": {"type": "string"}},
    }
    responses["404"] = {
        "description": "No such user",
        "content": {"application/json": {"schema": schema}},
    }


app = reference()
app.add_middleware(SecondEnvelope)
rewrite_document(app, document_detail)
