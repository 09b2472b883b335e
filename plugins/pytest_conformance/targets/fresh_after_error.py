"""A network transport that never reuses a connection after a server error.

uvicorn closes a connection after an app error without saying so (no ``Connection: close``
on the 500), so the next request on that kept-alive connection can meet a reset
(``ReadError``) or a disconnect, and a check would fail for the transport's doing ("could
not talk to the target"). After a 5xx answer, or one that says ``Connection: close``, the
next request goes out on a new connection pool; the old pool is closed with the transport
(an answer from it may still be being read).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx


class FreshAfterError(httpx.BaseTransport):
    """Requests over ``new()`` (an ``httpx.HTTPTransport``), a new one after each error."""

    def __init__(self, new: Callable[[], httpx.BaseTransport]) -> None:
        self._new = new
        self._current = new()
        self._retired: list[httpx.BaseTransport] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            inner = self._current
        response = inner.handle_request(request)
        closing = "close" in response.headers.get("Connection", "").lower()
        if response.status_code >= 500 or closing:
            with self._lock:
                if self._current is inner:
                    self._retired.append(inner)
                    self._current = self._new()
        return response

    def close(self) -> None:
        with self._lock:
            transports, self._retired = [*self._retired, self._current], []
        for transport in transports:
            transport.close()
