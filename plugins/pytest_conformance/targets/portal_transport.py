"""A synchronous httpx transport that drives an async one in a blocking portal's loop.

Checks are plain synchronous functions, whatever the user's pytest-asyncio setup is;
the in-process app lives in one event loop in a background thread (the portal), and
this bridge carries each request and each body chunk across, keeping the stream
incremental: a chunk is fetched only when the caller iterates.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import anyio.lowlevel
import httpx
from anyio.from_thread import BlockingPortal

_DONE = object()
# A response extension of in-process answers: ``wait_more(seconds) -> bool``, whether more of
# the body, or its end, has come within ``seconds`` (it is read next, nothing is lost).
WAIT_MORE = "conformance.wait_more"


async def _next_chunk(iterator: AsyncIterator[bytes]) -> bytes | object:
    try:
        return await anext(iterator)
    except StopAsyncIteration:
        return _DONE


class _PortalStream(httpx.SyncByteStream):
    """Each crossing into the portal brings the next chunk and whatever else the app has
    already sent (a complete answer: all of it and its end), never waiting for more."""

    def __init__(self, portal: BlockingPortal, stream: httpx.AsyncByteStream) -> None:
        self._portal = portal
        self._stream = stream
        self._iterator: AsyncIterator[bytes] | None = None
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        while True:
            chunks, ended = self._portal.call(self._batch)
            yield from chunks
            if ended:
                return

    async def _batch(self) -> tuple[list[bytes], bool]:
        if self._iterator is None:
            self._iterator = self._stream.__aiter__()
        chunk = await _next_chunk(self._iterator)
        if chunk is _DONE:
            return [], await self._ended()
        assert isinstance(chunk, bytes)
        take_ready = getattr(self._stream, "take_ready", None)
        if take_ready is None:
            return [chunk], False
        await anyio.lowlevel.checkpoint()  # the app's step that ends its answer, if it does
        ready, ended = take_ready()
        return [chunk, *ready], ended and await self._ended()

    async def _ended(self) -> bool:
        """Closed here, as the client would close it right after the end."""
        self._closed = True
        await self._stream.aclose()
        return True

    def wait_more(self, seconds: float) -> bool:
        """Between two reads: whether the app sends more, or ends, within ``seconds``.
        True when it cannot tell (a stream without the wait): the next read just blocks."""
        if self._closed:
            return True  # the end came
        wait_ready = getattr(self._stream, "wait_ready", None)
        if wait_ready is None:
            return True
        return bool(self._portal.call(wait_ready, seconds))

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._portal.call(self._stream.aclose)


class PortalTransport(httpx.BaseTransport):
    def __init__(self, portal: BlockingPortal, transport: httpx.AsyncBaseTransport) -> None:
        self._portal = portal
        self._transport = transport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async_request = httpx.Request(
            request.method,
            request.url,
            headers=request.headers,
            content=request.read(),
            extensions=request.extensions,
        )
        response = self._portal.call(self._transport.handle_async_request, async_request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        stream = _PortalStream(self._portal, response.stream)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=stream,
            extensions={**response.extensions, WAIT_MORE: stream.wait_more},
            request=request,
        )
