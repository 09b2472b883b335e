"""A synchronous httpx transport that drives an async one in a blocking portal's loop.

Checks are plain synchronous functions, whatever the user's pytest-asyncio setup is;
the in-process app lives in one event loop in a background thread (the portal), and
this bridge carries each request and each body chunk across, keeping the stream
incremental: a chunk is fetched only when the caller iterates.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
from anyio.from_thread import BlockingPortal

_DONE = object()


async def _next_chunk(iterator: AsyncIterator[bytes]) -> bytes | object:
    try:
        return await anext(iterator)
    except StopAsyncIteration:
        return _DONE


class _PortalStream(httpx.SyncByteStream):
    def __init__(self, portal: BlockingPortal, stream: httpx.AsyncByteStream) -> None:
        self._portal = portal
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        iterator = self._portal.call(self._start)
        while True:
            chunk = self._portal.call(_next_chunk, iterator)
            if chunk is _DONE:
                return
            assert isinstance(chunk, bytes)
            yield chunk

    async def _start(self) -> AsyncIterator[bytes]:
        return self._stream.__aiter__()

    def close(self) -> None:
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
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=_PortalStream(self._portal, response.stream),
            extensions=response.extensions,
            request=request,
        )
