"""Clients are counted by a truncated address (/31): a neighbour's burst blocks you."""

import ipaddress
import math

from fastapi import HTTPException, Request

import reference_app.factory
from reference_app.rate_limit import RateLimiter, build_rate_limiter
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"RATE-02"})


class TruncatingLimiter(RateLimiter):
    async def __call__(self, request: Request) -> None:
        host = request.client.host if request.client else "0.0.0.0"
        network = ipaddress.ip_network(f"{host}/31", strict=False)
        left = await self.counter.hit(str(network), self.max_requests, self.window_seconds)
        if left is not None:
            raise HTTPException(
                429, "Too many requests", headers={"Retry-After": str(max(1, math.ceil(left)))}
            )


def truncating(*args: object, **kwargs: object) -> RateLimiter:
    limiter = build_rate_limiter(*args, **kwargs)  # type: ignore[arg-type]
    return TruncatingLimiter(limiter.max_requests, limiter.window_seconds, limiter.counter)


reference_app.factory.build_rate_limiter = truncating
app = reference()
