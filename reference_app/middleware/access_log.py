"""One access-log line per request, written once the response is complete (MW-05)."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def _printable(text: str) -> str:
    """Escape control characters so a crafted path cannot forge log lines."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


class AccessLogMiddleware:
    """Logs ``<client> <METHOD> <path> <status> <duration>ms`` at INFO."""

    def __init__(self, app: ASGIApp, logger_name: str = "reference_app.access") -> None:
        self.app = app
        self.logger = logging.getLogger(logger_name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started_at = time.perf_counter()
        status: int | None = None
        logged = False

        def emit(final_status: int) -> None:
            nonlocal logged
            if logged:
                return
            logged = True
            client = scope.get("client")
            host = client[0] if client else "-"
            duration_ms = (time.perf_counter() - started_at) * 1000
            self.logger.info(
                "%s %s %s %d %.1fms",
                host,
                scope["method"],
                _printable(scope["path"]),
                final_status,
                duration_ms,
            )

        async def send_and_log(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                emit(status or 500)

        try:
            await self.app(scope, receive, send_and_log)
        finally:
            # Error, disconnect or no response at all: still exactly one line.
            emit(status or 500)
