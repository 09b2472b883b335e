"""Fixed-window rate limiting per client address as a class-based dependency (RATE)."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

from fastapi import HTTPException, Request, status


class InMemoryWindowCounter:
    """Counts hits per key in fixed windows; the lock makes check-and-increment atomic."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = asyncio.Lock()

    async def hit(self, key: str, limit: int, window: float) -> float | None:
        """Record a hit; return None if allowed, else the seconds until the window ends."""
        async with self._lock:
            now = self._clock()
            started, count = self._windows.get(key, (now, 0))
            if now - started >= window:
                started, count = now, 0
            if count >= limit:
                return started + window - now
            self._windows[key] = (started, count + 1)
            if len(self._windows) > 10_000:
                self._prune(now, window)
            return None

    def _prune(self, now: float, window: float) -> None:
        expired = [key for key, (started, _) in self._windows.items() if now - started >= window]
        for key in expired:
            del self._windows[key]


class RateLimiter:
    """Allows ``max_requests`` per client per window; then 429 with ``Retry-After``.

    Use it as a route-level dependency so it runs before parameter validation and
    every request counts, invalid ones included (RATE-01).
    """

    def __init__(
        self,
        max_requests: int = 5,
        window_seconds: float = 60,
        counter: InMemoryWindowCounter | None = None,
    ) -> None:
        self.max_requests = max_requests
        self.window_seconds = window_seconds
        self.counter = counter or InMemoryWindowCounter()

    async def __call__(self, request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        remaining = await self.counter.hit(client, self.max_requests, self.window_seconds)
        if remaining is not None:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                "Too many requests",
                headers={"Retry-After": str(max(1, math.ceil(remaining)))},
            )
