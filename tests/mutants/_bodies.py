"""An ASGI middleware for mutants that decide by the request body (fuzz mutants).

``BodyTap`` reads the whole request body of the requests ``taps`` selects, then calls
``handle`` with it; the app downstream receives the same body again.
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
