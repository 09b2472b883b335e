"""The served app's lifespan, judged as the in-process target judges it (asgi-lifespan's rule).

uvicorn's ``lifespan="auto"`` calls every lifespan exception "unsupported" and goes on, so an
app whose startup raises would be tested half-started; its ``"on"`` fails apps that simply
lack lifespan support. The shim tells the two apart the way asgi-lifespan does in-process:

- the app raises before its first ``receive()`` → it does not support the protocol: the shim
  answers the lifespan messages itself, logs one line (``UNSUPPORTED``) and the run goes on;
- the app raises during startup → ``lifespan.startup.failed`` with the app's exception, so
  uvicorn stops and the plugin reports it as the reason the target did not start.

In a subprocess the shim is uvicorn's ``--factory`` (``factory``), the app named by the
``CONFORMANCE_SHIMMED_APP`` environment variable.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

UNSUPPORTED = "conformance: the app does not support the ASGI lifespan protocol"
APP_VARIABLE = "CONFORMANCE_SHIMMED_APP"
logger = logging.getLogger("uvicorn.error")


class LifespanShim:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.unsupported: BaseException | None = None  # what the app raised, if unsupported

    async def __call__(self, scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        received = False
        started = False

        async def tracked_receive() -> Message:
            nonlocal received
            received = True
            return await receive()

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "lifespan.startup.complete"
            await send(message)

        try:
            await self.app(scope, tracked_receive, tracked_send)
        except Exception as error:
            if not received:
                self.unsupported = error
                logger.warning("%s (it raised %s: %s)", UNSUPPORTED, type(error).__name__, error)
                await _without_lifespan(receive, send)
                return
            if started:
                raise  # a failing shutdown: uvicorn reports it
            logger.error("the app's lifespan startup raised", exc_info=error)
            await send(
                {"type": "lifespan.startup.failed", "message": f"{type(error).__name__}: {error}"}
            )


async def _without_lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def factory() -> LifespanShim:
    """uvicorn ``--factory`` entry: the app named in ``CONFORMANCE_SHIMMED_APP``, shimmed."""
    from uvicorn.importer import import_from_string

    return LifespanShim(import_from_string(os.environ[APP_VARIABLE]))
