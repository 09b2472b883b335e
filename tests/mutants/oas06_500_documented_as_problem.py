"""The document says the 500 of ``/orders/user/{user_id}`` is a problem-details body,
while the app answers with the tutorial envelope: a response that breaks its schema."""

from typing import Any

from tests.mutants._base import reference, rewrite_document

CAUGHT_BY = frozenset({"OAS-06"})


def document_problem_details(document: dict[str, Any]) -> None:
    response = document["paths"]["/orders/user/{user_id}"]["get"]["responses"]["500"]
    response["content"] = {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["type", "title", "status", "detail"],
                "properties": {"status": {"type": "integer"}},
            }
        }
    }


app = reference()
rewrite_document(app, document_problem_details)
