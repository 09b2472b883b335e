"""Turn an exception that escaped the app into the 500 envelope (ERR-01, ERR-05).

Starlette's ServerErrorMiddleware sits outside all user middleware, so a 500 it
produces would miss the security headers and request id. This middleware sits
inside them: it answers the 500 itself, logs the traceback once, and does not
re-raise, so the server does not log it a second time.
"""

from __future__ import annotations

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reference_app.errors import (
    LOGGED_SCOPE_KEY,
    EnvelopeStyle,
    internal_error_response,
    log_unhandled,
)


class UnhandledErrorMiddleware:
    def __init__(self, app: ASGIApp, style: EnvelopeStyle = "tutorial") -> None:
        self.app = app
        self.style = style

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = completed = False

        async def tracking_send(message: Message) -> None:
            nonlocal started, completed
            if message["type"] == "http.response.start":
                started = True
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                completed = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ClientDisconnect:
            return  # nobody left to answer
        except Exception as exc:
            if not scope.get(LOGGED_SCOPE_KEY):
                log_unhandled(exc, scope["method"], scope["path"])
            if not started:
                await internal_error_response(self.style)(scope, receive, send)
            elif not completed:
                raise  # half-sent body: only aborting the connection is honest
