"""Every HTTP answer the suite reads is bounded: a total deadline, a byte cap, a dead-target stop.

``BoundedTransport`` wraps the transport of every client the target hands out (in-process
or over the network). Its body stream raises as soon as the answer has taken longer than
``timeouts.total`` from the request, or has grown past ``limits.body`` bytes, so a body that
trickles forever or never ends fails the check instead of hanging it or filling memory. It
streams: chunks pass through as they arrive, so NDJSON and SSE checks still read
incrementally.

``TargetHealth`` counts consecutive answers that timed out or outgrew the cap; after
``timeouts.unresponsive_after`` of them the target is declared unresponsive, and from then on
every request fails at once with the cause (the plugin fails every remaining check with it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx

# A request extension: the monotonic time by which the whole answer must have arrived
# (the in-process transport bounds each of its waits by it).
DEADLINE = "conformance.deadline"
# A request extension a caller sets when it reads a stream that may pause longer than a read
# waits (a live feed between events): a read timing out there is a quiet stream, not a dead
# target, so it does not count towards ``timeouts.unresponsive_after``. The total deadline
# and the byte cap still do.
QUIET_PAUSES = "conformance.quiet_pauses"


class BodyTooLarge(httpx.TransportError):
    """The answer's body outgrew ``limits.body``."""


class TargetUnresponsive(httpx.TransportError):
    """The target was declared unresponsive earlier in the run."""


class TargetHealth:
    """Consecutive failed answers (timeouts, oversized bodies); shared by every client."""

    def __init__(self, give_up_after: int) -> None:
        self.give_up_after = give_up_after
        self.cause: str | None = None
        self._failures = 0
        self._lock = threading.Lock()

    def failed(self, what: str) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= self.give_up_after and self.cause is None:
                self.cause = (
                    f"the target is unresponsive: {self._failures} consecutive answers failed, "
                    f"the last: {what} (profile timeouts.unresponsive_after = "
                    f"{self.give_up_after}); the remaining checks fail without being run"
                )

    def answered(self) -> None:
        with self._lock:
            self._failures = 0


class BoundedTransport(httpx.BaseTransport):
    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        total: float,
        max_bytes: int,
        health: TargetHealth,
    ) -> None:
        self._inner = inner
        self._total = total
        self._max_bytes = max_bytes
        self._health = health

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._health.cause is not None:
            raise TargetUnresponsive(self._health.cause, request=request)
        deadline = time.monotonic() + self._total
        request.extensions[DEADLINE] = deadline
        try:
            response = self._inner.handle_request(request)
        except httpx.TimeoutException as error:
            self._health.failed(f"{request.method} {request.url}: {error}")
            raise
        assert isinstance(response.stream, httpx.SyncByteStream)
        stream = _BoundedStream(
            response.stream, request, deadline, self._total, self._max_bytes, self._health
        )
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=stream,
            extensions=response.extensions,
            request=request,
        )

    def close(self) -> None:
        self._inner.close()


class _BoundedStream(httpx.SyncByteStream):
    def __init__(
        self,
        inner: httpx.SyncByteStream,
        request: httpx.Request,
        deadline: float,
        total: float,
        max_bytes: int,
        health: TargetHealth,
    ) -> None:
        self._inner = inner
        self._request = request
        self._deadline = deadline
        self._total = total
        self._max_bytes = max_bytes
        self._health = health

    def __iter__(self) -> Iterator[bytes]:
        where = f"{self._request.method} {self._request.url}"
        received = 0
        try:
            for chunk in self._inner:
                received += len(chunk)
                if received > self._max_bytes:
                    raise BodyTooLarge(
                        f"the body of {where} outgrew {self._max_bytes} bytes (profile "
                        "limits.body); the rest was not read",
                        request=self._request,
                    )
                if time.monotonic() > self._deadline:
                    raise httpx.ReadTimeout(
                        f"the body of {where} did not end within {self._total:g} s "
                        f"({received} bytes arrived; profile timeouts.total)",
                        request=self._request,
                    )
                yield chunk
        except (BodyTooLarge, httpx.TimeoutException) as error:
            if not self._quiet_pause(error):
                self._health.failed(str(error))
            raise
        self._health.answered()

    def _quiet_pause(self, error: Exception) -> bool:
        return (
            bool(self._request.extensions.get(QUIET_PAUSES))
            and isinstance(error, httpx.ReadTimeout)
            and time.monotonic() < self._deadline
        )

    def close(self) -> None:
        self._inner.close()
