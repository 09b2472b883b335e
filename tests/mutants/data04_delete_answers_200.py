"""DELETE of an item answers 200 with a body instead of 204 without one."""

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.mutants._base import reference, rewrite_document

CAUGHT_BY = frozenset({"DATA-04"})
BODY = b'{"deleted": true}'


class DeleteSays200:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "DELETE"
            or not scope["path"].startswith("/items/")
        ):
            await self.app(scope, receive, send)
            return

        rewritten = False

        async def rewrite(message: Message) -> None:
            nonlocal rewritten
            if message["type"] == "http.response.start" and message["status"] == 204:
                headers = [(k, v) for k, v in message["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(BODY)).encode()))
                message = {**message, "status": 200, "headers": headers}
                rewritten = True
            elif rewritten and message["type"] == "http.response.body":
                message = {**message, "body": BODY, "more_body": False}
            await send(message)

        await self.app(scope, receive, rewrite)


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
