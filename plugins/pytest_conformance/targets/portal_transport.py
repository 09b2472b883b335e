"""A synchronous httpx transport that drives an async one in a blocking portal's loop.

Checks are plain synchronous functions, whatever the user's pytest-asyncio setup is;
the in-process app lives in one event loop in a background thread (the portal), and
this bridge carries each request and each body chunk across, keeping the stream
incremental: the answer's start brings only what the app has sent by then (a complete
answer: all of it, in the same crossing), and a later chunk is fetched only when the
caller iterates.
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


async def _taken(stream: httpx.AsyncByteStream) -> tuple[list[bytes], bool]:
    """What the app has sent already, after letting it take the step that ends its answer
    (if it does), and whether it has ended; nothing, for a stream that cannot tell."""
    take_ready = getattr(stream, "take_ready", None)
    if take_ready is None:
        return [], False
    await anyio.lowlevel.checkpoint()
    ready, ended = take_ready()
    return list(ready), bool(ended)


class _PortalStream(httpx.SyncByteStream):
    """Each crossing into the portal brings the next chunk and whatever else the app has
    already sent (a complete answer: all of it and its end), never waiting for more."""

    def __init__(
        self,
        portal: BlockingPortal,
        stream: httpx.AsyncByteStream,
        ready: list[bytes] | None = None,
        ended: bool = False,
    ) -> None:
        self._portal = portal
        self._stream = stream
        self._iterator: AsyncIterator[bytes] | None = None
        self._ready = ready or []  # what came with the answer's start (``_opened``)
        self._closed = ended  # it ended then too, and was closed there

    def __iter__(self) -> Iterator[bytes]:
        ready, self._ready = self._ready, []
        yield from ready
        if self._closed:
            return
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
        ready, ended = await _taken(self._stream)
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
        response, ready, ended = self._portal.call(self._opened, async_request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        stream = _PortalStream(self._portal, response.stream, ready, ended)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=stream,
            extensions={**response.extensions, WAIT_MORE: stream.wait_more},
            request=request,
        )

    async def _opened(self, request: httpx.Request) -> tuple[httpx.Response, list[bytes], bool]:
        """The answer's start, with whatever of its body came along, in one crossing: a
        complete answer (most are) needs no other, and a stream still sends as it goes."""
        response = await self._transport.handle_async_request(request)
        assert isinstance(response.stream, httpx.AsyncByteStream)
        ready, ended = await _taken(response.stream)
        if ended:
            await response.stream.aclose()  # as the client would, right after the end
        return response, ready, ended
