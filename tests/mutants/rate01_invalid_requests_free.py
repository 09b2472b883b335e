"""The limiter counts only valid requests: invalid ones are free (validation runs first)."""

from fastapi import Request

import reference_app.factory
from reference_app.rate_limit import RateLimiter, build_rate_limiter
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"RATE-01"})


class ValidOnlyLimiter(RateLimiter):
    async def __call__(self, request: Request) -> None:
        try:
            skip = int(request.query_params.get("skip", 0))
            limit = int(request.query_params.get("limit", 20))
        except ValueError:
            return
        if skip >= 0 and 1 <= limit <= 50:
            await super().__call__(request)


def valid_only(*args: object, **kwargs: object) -> RateLimiter:
    limiter = build_rate_limiter(*args, **kwargs)  # type: ignore[arg-type]
    return ValidOnlyLimiter(limiter.max_requests, limiter.window_seconds, limiter.counter)


reference_app.factory.build_rate_limiter = valid_only
app = reference()
