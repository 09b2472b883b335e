"""The counter reads, awaits, then writes: a concurrent burst slips past the budget."""

import asyncio
import time

import reference_app.factory
from reference_app.rate_limit import RateLimiter
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"RATE-03"})


class RacyCounter:
    def __init__(self) -> None:
        self.windows: dict[str, tuple[float, int]] = {}

    async def hit(self, key: str, limit: int, window: float) -> float | None:
        now = time.monotonic()
        started, count = self.windows.get(key, (now, 0))
        if now - started >= window:
            started, count = now, 0
        if count >= limit:
            return started + window - now
        await asyncio.sleep(0.01)  # e.g. a round trip to a store, without a lock
        self.windows[key] = (started, count + 1)
        return None

    async def aclose(self) -> None:
        self.windows.clear()


def racy(max_requests: int, window_seconds: float, *_: object) -> RateLimiter:
    return RateLimiter(max_requests, window_seconds, RacyCounter())


reference_app.factory.build_rate_limiter = racy
app = reference()
