"""One WebSocket session interface, in-process and over the network.

Both sides use httpx-ws: over the network with a synchronous ``httpx.Client``; in-process
with its ASGI transport in the portal's event loop, each call carried across the portal.
Every receive is bounded by a timeout, and the handshake outcome is reported the same way
in both modes: ``WebSocketRefused`` with the HTTP status or the close code.
"""

from __future__ import annotations

import contextlib
import math
import queue
import socket
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, Protocol

import anyio
import httpx
import httpx_ws
from anyio.from_thread import BlockingPortal
from httpx_ws.transport import ASGIWebSocketTransport


class WebSocketRefused(Exception):
    """The server refused the handshake: by an HTTP status, or by closing before accepting."""

    def __init__(self, *, status_code: int | None = None, close_code: int | None = None) -> None:
        self.status_code = status_code
        self.close_code = close_code
        how = f"HTTP {status_code}" if status_code is not None else f"close code {close_code}"
        super().__init__(f"WebSocket handshake refused ({how})")


class WebSocketClosed(Exception):
    """The server closed the session while the client waited for a message."""

    def __init__(self, code: int, reason: str | None) -> None:
        self.code = code
        self.reason = reason
        super().__init__(f"WebSocket closed by the server (code {code}, reason {reason!r})")


class WebSocketSession(Protocol):
    def send_text(self, text: str) -> None: ...

    def receive_text(self, timeout: float | None = None) -> str:
        """The next text message; ``TimeoutError`` after ``timeout`` (default: profile)."""
        ...

    def close(self, code: int = 1000) -> None: ...

    def abort(self) -> None:
        """Vanish without a close frame: the server learns it only by failing to send."""
        ...


class _SyncSession:
    """Wraps httpx-ws's synchronous session (network targets)."""

    def __init__(self, session: Any, default_timeout: float) -> None:
        self._session = session
        self._timeout = default_timeout

    def send_text(self, text: str) -> None:
        self._session.send_text(text)

    def receive_text(self, timeout: float | None = None) -> str:
        try:
            return str(self._session.receive_text(timeout=timeout or self._timeout))
        except httpx_ws.WebSocketDisconnect as closed:
            raise WebSocketClosed(closed.code, closed.reason) from None
        except (
            TimeoutError,
            queue.Empty,
            httpx.TimeoutException,
            httpx_ws.WebSocketNetworkError,
        ) as error:
            if isinstance(error, httpx_ws.WebSocketNetworkError) and not _timed_out(error):
                raise
            raise TimeoutError(
                f"no WebSocket message within {timeout or self._timeout:g} s"
            ) from None

    def close(self, code: int = 1000) -> None:
        self._session.close(code)

    def abort(self) -> None:
        # The socket goes away without a close frame. Shut it down first: a close alone
        # waits for httpx-ws's reader thread, blocked in recv(), and the server learns nothing.
        stream = self._session.stream
        sock = stream.get_extra_info("socket")
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        stream.close()


async def _within(seconds: float, what: str, call: Callable[[], Awaitable[Any]]) -> Any:
    try:
        with anyio.fail_after(seconds):
            return await call()
    except TimeoutError:
        raise TimeoutError(f"the WebSocket {what} did not complete within {seconds:g} s") from None


class _PortalSession:
    """Wraps httpx-ws's async session running in the portal's loop (in-process targets).

    Every call is bounded by the session's timeout: an app that stops reading cannot
    block a send, nor one that never answers a close frame the close.
    """

    def __init__(self, portal: BlockingPortal, session: Any, default_timeout: float) -> None:
        self._portal = portal
        self._session = session
        self._timeout = default_timeout

    def send_text(self, text: str) -> None:
        self._portal.call(_within, self._timeout, "send", lambda: self._session.send_text(text))

    def receive_text(self, timeout: float | None = None) -> str:
        wait = timeout or self._timeout
        try:
            return str(self._portal.call(self._session.receive_text, wait))
        except httpx_ws.WebSocketDisconnect as closed:
            raise WebSocketClosed(closed.code, closed.reason) from None
        except TimeoutError:
            raise TimeoutError(f"no WebSocket message within {wait:g} s") from None

    def close(self, code: int = 1000) -> None:
        self._portal.call(_within, self._timeout, "close", lambda: self._session.close(code))

    def abort(self) -> None:
        # As on a dead connection: from now on the app's sends to this client fail, and its
        # receive() gets websocket.disconnect (code 1006, "abnormal closure"), as a server
        # delivers it once it notices: at the first failed send, or shortly after anyway.
        async def vanish() -> None:
            stream = self._session.stream
            outgoing = stream._send_queue  # the app -> client direction
            noticed = anyio.Event()
            outgoing.send_stream = _VanishedSend(outgoing.send_stream, noticed)

            async def disconnect() -> None:
                with anyio.move_on_after(_NOTICED_AFTER):
                    await noticed.wait()
                with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
                    await stream._receive_queue.send({"type": "websocket.disconnect", "code": 1006})

            stream._task_group.start_soon(disconnect)

        self._portal.call(vanish)


# A server notices a vanished client at its first failed send, or (EOF) soon anyway.
_NOTICED_AFTER = 1.0


class _VanishedSend:
    """The app's sending end once the client vanished: every send fails, closing still works."""

    def __init__(self, original: Any, noticed: anyio.Event) -> None:
        self._original = original
        self._noticed = noticed

    async def send(self, item: object) -> None:
        self._noticed.set()
        raise anyio.BrokenResourceError

    async def aclose(self) -> None:
        await self._original.aclose()


def _timed_out(error: Exception) -> bool:
    return isinstance(error.__cause__ or error.__context__, TimeoutError | httpx.TimeoutException)


def _leaf(error: BaseException) -> BaseException:
    """The one real error inside the exception groups a task group may wrap it in."""
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    return error


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except BaseException as raised:
        error = _leaf(raised)
        if isinstance(error, httpx_ws.WebSocketUpgradeError):
            raise WebSocketRefused(status_code=error.response.status_code) from None
        if isinstance(error, httpx_ws.WebSocketDisconnect):
            raise WebSocketRefused(close_code=error.code) from None
        if error is not raised:
            raise error from None
        raise


@contextlib.contextmanager
def network_session(
    base_url: str, path: str, *, headers: dict[str, str], timeout: float
) -> Iterator[WebSocketSession]:
    with httpx.Client(base_url=base_url, headers=headers, timeout=timeout) as client:
        with _refusals():
            context: contextlib.AbstractContextManager[Any] = httpx_ws.connect_ws(
                path, client, keepalive_ping_interval_seconds=None
            )
            session = context.__enter__()
        try:
            yield _SyncSession(session, timeout)
        finally:
            with contextlib.suppress(Exception):
                context.__exit__(None, None, None)


@contextlib.contextmanager
def in_process_session(
    portal: BlockingPortal,
    app: Any,
    path: str,
    *,
    client: tuple[str, int],
    headers: dict[str, str],
    timeout: float,
) -> Iterator[WebSocketSession]:
    @contextlib.asynccontextmanager
    async def connected() -> Any:
        transport = ASGIWebSocketTransport(app, client=client, initial_receive_timeout=timeout)
        session: Any
        entered = False
        # The handshake, and later the closing (the client's close frame, then the app's end),
        # each get the timeout; an app that never ends its session is cancelled then.
        with anyio.CancelScope(deadline=anyio.current_time() + timeout) as scope:
            async with (
                httpx.AsyncClient(
                    transport=transport,
                    base_url="http://testserver",
                    headers=headers,
                    timeout=timeout,
                ) as http,
                httpx_ws.aconnect_ws(path, http, keepalive_ping_interval_seconds=None) as session,
            ):
                scope.deadline = math.inf
                entered = True
                try:
                    yield session
                finally:
                    scope.deadline = anyio.current_time() + timeout
        if scope.cancelled_caught and not entered:
            raise TimeoutError(f"the WebSocket handshake did not complete within {timeout:g} s")

    with _refusals():
        context: contextlib.AbstractContextManager[Any] = portal.wrap_async_context_manager(
            connected()
        )
        session = context.__enter__()
    try:
        yield _PortalSession(portal, session, timeout)
    finally:
        with contextlib.suppress(Exception):
            context.__exit__(None, None, None)
