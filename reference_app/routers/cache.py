"""Cached computations (CACHE-01) and a TTL cache with an injectable clock (CACHE-02).

Both caches live on ``app.state`` so separate apps never share entries. The TTL cache
reads ``app.state.clock`` (seconds, monotonic) when set, so tests can move time on.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel

router = APIRouter(tags=["cache"])

ITEM_TTL_SECONDS = 30.0
MAX_ENTRIES = 1024


class Computed(BaseModel):
    key: str
    result: str
    computed_at: str


class CachedItem(BaseModel):
    id: int
    name: str
    price: float
    from_cache: bool


def _compute(key: str) -> Computed:
    """The "expensive" computation; its timestamp shows when it really ran."""
    return Computed(key=key, result=key.upper() * 3, computed_at=datetime.now(UTC).isoformat())


def _compute_cache(request: Request) -> Callable[[str], Computed]:
    state = request.app.state
    if not hasattr(state, "compute_cache"):
        state.compute_cache = functools.lru_cache(maxsize=MAX_ENTRIES)(_compute)
    cached: Callable[[str], Computed] = state.compute_cache
    return cached


class TtlCache:
    """Remembers keys until they expire; bounded, oldest entries dropped first."""

    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        self.ttl = ttl
        self.clock = clock
        self._expires: dict[int, float] = {}

    def seen(self, key: int) -> bool:
        """Whether ``key`` was stored and has not expired; stores it when it was not."""
        now = self.clock()
        expires = self._expires.get(key)
        if expires is not None and expires > now:
            return True
        self._expires.pop(key, None)
        if len(self._expires) >= MAX_ENTRIES:
            del self._expires[next(iter(self._expires))]
        self._expires[key] = now + self.ttl
        return False


def _item_cache(request: Request) -> TtlCache:
    state = request.app.state
    if not hasattr(state, "item_cache"):
        state.item_cache = TtlCache(
            ITEM_TTL_SECONDS, lambda: getattr(state, "clock", time.monotonic)()
        )
    cache: TtlCache = state.item_cache
    return cache


@router.get("/compute/{key}", response_model=Computed)
async def compute(key: str, request: Request) -> Computed:
    return _compute_cache(request)(key)


@router.get("/items-cached/{item_id}", response_model=CachedItem)
async def item_cached(item_id: int, request: Request) -> CachedItem:
    from_cache = _item_cache(request).seen(item_id)
    return CachedItem(id=item_id, name=f"item-{item_id}", price=9.99, from_cache=from_cache)
