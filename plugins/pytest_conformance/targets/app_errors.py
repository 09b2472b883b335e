"""Exceptions the app raises after its answer said all was well (DI-04).

An app running in this process (in-process, or served in a thread) is wrapped by
``recording``: an exception that escapes a request whose response had started with a
status below 500 is kept — a dependency's teardown raising after a 200, a stream that
breaks half-way. A 5xx answer is left to the checks that judge answers (the client sees
it); what is kept here is what no client ever sees. An app that catches such an
exception and logs it (a middleware that turns exceptions into 500s) is seen through its
log: an error record with an exception, logged while a request of the suite is being
answered, counts the same.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Awaitable, Callable, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[MutableMapping[str, Any], Receive, Send], Awaitable[None]]

FRAMES = 4  # the last frames of a traceback a failure shows
KEPT = 50  # at most this many exceptions are kept per process


@dataclass(frozen=True)
class AppError:
    kind: str  # the exception's type name
    message: str
    request: str  # "GET /path?query"
    status: int  # what the answer had said
    frames: str  # the last frames of the traceback

    def describe(self) -> str:
        return (
            f"{self.kind}: {self.message}\n  after answering {self.status} to {self.request}\n"
            f"  traceback (last {FRAMES} frames):\n{self.frames}"
        )


@dataclass
class _Answering:
    """The request the current task is answering, and what its answer said so far."""

    scope: MutableMapping[str, Any]
    status: int | None = None
    recorded: set[int] = field(default_factory=set)  # ids of the exceptions kept


_answering: ContextVar[_Answering | None] = ContextVar("conformance_answering", default=None)


class AppErrors:
    """The exceptions seen so far in this process (thread-safe, bounded)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._errors: list[AppError] = []
        self._handler = _LoggedErrors(self)

    def attach(self) -> None:
        """See the exceptions the app logs (root logger) until ``detach``."""
        logging.getLogger().addHandler(self._handler)

    def detach(self) -> None:
        logging.getLogger().removeHandler(self._handler)

    def record_once(self, error: BaseException, answering: _Answering) -> None:
        if answering.status is None or answering.status >= 500 or id(error) in answering.recorded:
            return
        answering.recorded.add(id(error))
        self.record(error, answering.scope, answering.status)

    def record(self, error: BaseException, scope: MutableMapping[str, Any], status: int) -> None:
        query = scope.get("query_string", b"")
        request = f"{scope.get('method', 'GET')} {scope.get('path', '')}"
        if query:
            request += "?" + bytes(query).decode("latin-1")
        frames = "".join(traceback.format_tb(error.__traceback__)[-FRAMES:])
        found = AppError(type(error).__name__, str(error), request, status, frames.rstrip())
        with self._lock:
            if len(self._errors) < KEPT:
                self._errors.append(found)

    def seen(self) -> tuple[AppError, ...]:
        with self._lock:
            return tuple(self._errors)


class _LoggedErrors(logging.Handler):
    def __init__(self, errors: AppErrors) -> None:
        super().__init__(logging.ERROR)
        self._errors = errors

    def emit(self, record: logging.LogRecord) -> None:
        answering = _answering.get()
        if answering is not None and record.exc_info and record.exc_info[1] is not None:
            self._errors.record_once(record.exc_info[1], answering)


def recording(app: ASGIApp, errors: AppErrors) -> ASGIApp:
    """``app``, keeping every exception that escapes an HTTP request answered below 500."""

    async def recorded(scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        answering = _Answering(scope)
        token = _answering.set(answering)

        async def watched_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                answering.status = int(message["status"])
            await send(message)

        try:
            await app(scope, receive, watched_send)
        except Exception as error:
            errors.record_once(error, answering)
            raise
        finally:
            _answering.reset(token)

    return recorded
