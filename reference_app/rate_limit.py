"""Fixed-window rate limiting per client address as a class-based dependency (RATE)."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable
from typing import Protocol

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

    async def aclose(self) -> None:
        self._windows.clear()

    def _prune(self, now: float, window: float) -> None:
        expired = [key for key, (started, _) in self._windows.items() if now - started >= window]
        for key in expired:
            del self._windows[key]


class WindowCounter(Protocol):
    async def hit(self, key: str, limit: int, window: float) -> float | None: ...

    async def aclose(self) -> None: ...


# INCR and PEXPIRE in one script: Redis runs it atomically, so concurrent hits from any
# number of processes never let more than ``limit`` through, and the window is fixed
# (set once by the first hit, never extended by later ones).
_HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
if count > tonumber(ARGV[1]) then
  local left = redis.call('PTTL', KEYS[1])
  if left < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[2])
    left = tonumber(ARGV[2])
  end
  return left
end
return -1
"""


class RedisWindowCounter:
    """Fixed windows kept in Redis: one budget shared by every process (RATE-04)."""

    def __init__(self, url: str, prefix: str = "rate-limit:") -> None:
        from redis.asyncio import Redis  # the optional `redis` extra

        self._redis = Redis.from_url(url)
        self._script = self._redis.register_script(_HIT_SCRIPT)
        self._prefix = prefix

    async def hit(self, key: str, limit: int, window: float) -> float | None:
        left_ms = int(
            await self._script(keys=[self._prefix + key], args=[limit, int(window * 1000)])
        )
        return None if left_ms < 0 else left_ms / 1000

    async def aclose(self) -> None:
        await self._redis.aclose()


class RateLimiter:
    """Allows ``max_requests`` per client per window; then 429 with ``Retry-After``.

    Use it as a route-level dependency so it runs before parameter validation and
    every request counts, invalid ones included (RATE-01).
    """

    def __init__(
        self,
        max_requests: int = 5,
        window_seconds: float = 60,
        counter: WindowCounter | None = None,
    ) -> None:
        self.max_requests = max_requests
        self.window_seconds = window_seconds
        self.counter: WindowCounter = counter or InMemoryWindowCounter()

    async def __call__(self, request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        remaining = await self.counter.hit(client, self.max_requests, self.window_seconds)
        if remaining is not None:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                "Too many requests",
                headers={"Retry-After": str(max(1, math.ceil(remaining)))},
            )


def build_rate_limiter(
    max_requests: int, window_seconds: float, backend: str, redis_url: str
) -> RateLimiter:
    """The limiter the settings ask for (``backend``: "memory" or "redis")."""
    counter: WindowCounter = (
        RedisWindowCounter(redis_url) if backend == "redis" else InMemoryWindowCounter()
    )
    return RateLimiter(max_requests, window_seconds, counter)
