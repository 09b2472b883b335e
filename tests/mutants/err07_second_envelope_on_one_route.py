"""One route answers its 404 in FastAPI's own envelope, every other error in the tutorial's.

The admin's DELETE of an absent user answers ``{"detail": "User not found"}``; the document
owns up to that shape (so OAS-06 has nothing to say), and no contract check reads that
404's body (the RBAC-03 matrix only asks that the admin is let through). Only ERR-07, which
looks at every error answer of the run, sees the second envelope.
"""

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.mutants._base import reference, rewrite_document

CAUGHT_BY = frozenset({"ERR-07"})
BODY = b'{"detail": "User not found"}'


class SecondEnvelope:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "DELETE"
            or not scope["path"].startswith("/admin/users/")
        ):
            await self.app(scope, receive, send)
            return

        rewritten = False

        async def rewrite(message: Message) -> None:
            nonlocal rewritten
            if message["type"] == "http.response.start" and message["status"] == 404:
                headers = [(k, v) for k, v in message["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(BODY)).encode()))
                message = {**message, "headers": headers}
                rewritten = True
            elif rewritten and message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the whole body is replaced by the last message
                message = {**message, "body": BODY, "more_body": False}
            await send(message)

        await self.app(scope, receive, rewrite)


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
