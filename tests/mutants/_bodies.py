"""ASGI middlewares for mutants that work on bodies.

``AnswerRewrite`` replaces the answer of selected requests. ``BodyTap`` reads the whole
request body of the requests it selects, then calls ``handle`` with it; the app downstream
receives the same body again.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def json_of(body: bytes) -> Any:
    """The body as JSON, or ``None`` when it is not JSON."""
    try:
        return json.loads(body)
    except ValueError:
        return None


class BodyTap:
    method = "POST"
    path = ""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != self.method or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.handle(scope, body, replay, send)

    async def handle(self, scope: Scope, body: bytes, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


class AnswerRewrite:
    """Replaces the answer of the requests ``method`` sends under ``path_prefix`` whose
    status is ``status``: the body becomes ``body`` (the status ``new_status``, if given)."""

    method = "GET"
    path_prefix = ""
    status = 200
    new_status: int | None = None
    body = b""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != self.method
            or not scope["path"].startswith(self.path_prefix)
        ):
            await self.app(scope, receive, send)
            return
        rewritten = False

        async def rewrite(message: Message) -> None:
            nonlocal rewritten
            if message["type"] == "http.response.start" and message["status"] == self.status:
                headers = [(k, v) for k, v in message["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(self.body)).encode()))
                message = {**message, "headers": headers,
                           "status": self.new_status or message["status"]}  # fmt: skip
                rewritten = True
            elif rewritten and message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the whole body is replaced by the last message
                message = {**message, "body": self.body, "more_body": False}
            await send(message)

        await self.app(scope, receive, rewrite)
