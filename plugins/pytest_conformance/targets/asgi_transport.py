"""A streaming in-process ASGI transport for httpx.

``httpx.ASGITransport`` runs the whole app before it returns a response, so a buffered
stream and an incremental one look the same through it, and a client can never
disconnect. This transport runs the app as a task: the response returns as soon as the
app sends ``http.response.start``, each body chunk reaches the client when the app sends
it, and closing the response early tells the app ``http.disconnect``. The scope it builds
is the one uvicorn builds (ASGI spec 2.3), so in-process answers match socket answers.
"""

from __future__ import annotations

import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import unquote

import anyio
import anyio.abc
import httpx
from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[Message]],
        Callable[[Message], Awaitable[None]],
    ],
    Awaitable[None],
]

logger = logging.getLogger("pytest_conformance.asgi")

_FALLBACK_500 = b"Internal Server Error"
_BUFFERED_CHUNKS = 16  # the app waits for the client beyond this (a socket's back-pressure)
# After the client is gone, the app has this long to finish before its task is cancelled.
_ABANDON_GRACE = 5.0


def _read_timeout(request: httpx.Request) -> float:
    timeouts = request.extensions.get("timeout", {})
    value = timeouts.get("read") if isinstance(timeouts, dict) else None
    return math.inf if value is None else float(value)


def _deadline(request: httpx.Request) -> float:
    """The monotonic time by which the whole answer must have arrived (``bounded.DEADLINE``)."""
    value = request.extensions.get("conformance.deadline")
    return math.inf if value is None else float(value)


def _wait(read_timeout: float, deadline: float) -> float:
    return max(0.0, min(read_timeout, deadline - time.monotonic()))


class _Exchange:
    """One request/response between the client and the running app."""

    def __init__(self, app: ASGIApp, scope: dict[str, Any], body: bytes) -> None:
        self.app = app
        self.scope = scope
        self.body = body
        self.body_sent = False
        self.started = anyio.Event()
        self.finished = anyio.Event()
        self.disconnected = anyio.Event()
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.error: BaseException | None = None
        self.chunks_in: MemoryObjectSendStream[bytes]
        self.chunks_out: MemoryObjectReceiveStream[bytes]
        self.chunks_in, self.chunks_out = anyio.create_memory_object_stream[bytes](_BUFFERED_CHUNKS)
        self.cancel_scope = anyio.CancelScope()
        self.answered = False  # the app sent its last body chunk

    def abandon(self) -> None:
        """The client is gone: tell the app, and cancel it if it does not finish soon."""
        self.disconnected.set()
        self.chunks_out.close()
        if not (self.finished.is_set() or self.answered):  # background work after an answer runs on
            self.cancel_scope.deadline = anyio.current_time() + _ABANDON_GRACE

    async def receive(self) -> Message:
        if not self.body_sent:
            self.body_sent = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        await self.disconnected.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if self.disconnected.is_set():
            return  # ASGI 2.3: sending to a gone client is a no-op
        if kind == "http.response.start":
            self.status = int(message["status"])
            self.headers = [(bytes(k), bytes(v)) for k, v in message.get("headers", [])]
            self.started.set()
        elif kind == "http.response.body":
            if not self.started.is_set():
                raise RuntimeError("the app sent a response body before http.response.start")
            chunk = bytes(message.get("body", b""))
            if chunk:
                try:
                    await self.chunks_in.send(chunk)
                except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                    return  # the client went away meanwhile
            if not message.get("more_body", False):
                self.answered = True
                self.chunks_in.close()

    async def run(self) -> None:
        with self.cancel_scope:
            await self._run()

    async def _run(self) -> None:
        try:
            await self.app(self.scope, self.receive, self.send)
        except Exception as error:  # the app crashed: answer like a server would
            self.error = error
            logger.error("exception in the ASGI app", exc_info=error)
            if not self.started.is_set():
                self.status = 500
                self.headers = [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(_FALLBACK_500)).encode()),
                ]
                self.started.set()
                with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
                    self.chunks_in.send_nowait(_FALLBACK_500)
        finally:
            self.chunks_in.close()
            if not self.started.is_set():
                # the app returned without answering: a server would close the connection
                self.error = self.error or RuntimeError("the app returned without a response")
                self.started.set()
            self.finished.set()


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, exchange: _Exchange, read_timeout: float, deadline: float) -> None:
        self._exchange = exchange
        self._read_timeout = read_timeout
        self._deadline = deadline
        self._early: bytes | None = None  # a chunk ``wait_ready`` received, read next
        self._ended = False  # ``wait_ready`` saw the end

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            if self._early is not None:
                chunk, self._early = self._early, None
                yield chunk
                continue
            if self._ended:
                return
            wait = _wait(self._read_timeout, self._deadline)
            try:
                with anyio.fail_after(wait):
                    chunk = await self._exchange.chunks_out.receive()
            except (anyio.EndOfStream, anyio.ClosedResourceError):
                return
            except TimeoutError:
                if wait < self._read_timeout:
                    raise httpx.ReadTimeout(
                        "the body did not end in time (profile timeouts.total)"
                    ) from None
                raise httpx.ReadTimeout(f"no body chunk within {self._read_timeout:g} s") from None
            yield chunk

    async def wait_ready(self, seconds: float) -> bool:
        """Whether a chunk or the end comes within ``seconds``; a chunk is kept for the next
        read (a memory stream's receive loses nothing when cancelled)."""
        if self._early is not None or self._ended:
            return True
        with anyio.move_on_after(seconds):
            try:
                self._early = await self._exchange.chunks_out.receive()
            except (anyio.EndOfStream, anyio.ClosedResourceError):
                self._ended = True
            return True
        return False

    def take_ready(self) -> tuple[list[bytes], bool]:
        """The chunks the app has already sent, without waiting, and whether it has ended
        (in the event loop's thread, between two reads of the iterator)."""
        chunks: list[bytes] = []
        if self._early is not None:
            chunks.append(self._early)
            self._early = None
        if self._ended:
            return chunks, True
        while True:
            try:
                chunks.append(self._exchange.chunks_out.receive_nowait())
            except anyio.WouldBlock:
                return chunks, False
            except (anyio.EndOfStream, anyio.ClosedResourceError):
                return chunks, True

    async def aclose(self) -> None:
        self._exchange.abandon()


class StreamingASGITransport(httpx.AsyncBaseTransport):
    """Run requests against an ASGI app in the current event loop, streaming.

    ``task_group`` owns the app tasks; it must outlive every response read through
    this transport (the plugin keeps one for the whole session).
    """

    def __init__(
        self,
        app: ASGIApp,
        task_group: anyio.abc.TaskGroup,
        *,
        client: tuple[str, int] = ("127.0.0.1", 50000),
        root_path: str = "",
    ) -> None:
        self.app = app
        self.task_group = task_group
        self.client = client
        self.root_path = root_path

    def _scope(self, request: httpx.Request) -> dict[str, Any]:
        url = request.url
        default_port = {"http": 80, "https": 443}[url.scheme]
        raw_path, _, _query = url.raw_path.partition(b"?")
        return {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": url.scheme,
            "path": unquote(raw_path.decode("ascii")),
            "raw_path": raw_path,
            "query_string": url.query,
            "root_path": self.root_path,
            "headers": [(key.lower(), value) for key, value in request.headers.raw],
            "server": (url.host, url.port or default_port),
            "client": self.client,
            "extensions": {},
        }

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        exchange = _Exchange(self.app, self._scope(request), body)
        read_timeout = _read_timeout(request)
        deadline = _deadline(request)
        self.task_group.start_soon(exchange.run)
        wait = _wait(read_timeout, deadline)
        try:
            with anyio.fail_after(wait):
                await exchange.started.wait()
        except TimeoutError:
            exchange.abandon()
            raise httpx.ReadTimeout(
                f"the app sent no response within {wait:.3g} s", request=request
            ) from None
        if exchange.error is not None and exchange.status == 500 and not exchange.headers:
            raise httpx.RemoteProtocolError(
                f"the app closed without a response: {exchange.error}", request=request
            )
        return httpx.Response(
            exchange.status,
            headers=exchange.headers,
            stream=_ResponseStream(exchange, read_timeout, deadline),
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )
