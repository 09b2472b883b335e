"""CACHE — cached computations and a TTL cache (SPEC.md, tutorial Example 48)."""

from __future__ import annotations

import random
import uuid

from pytest_conformance import Profile, Target, check

from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import json_body
from conformance.authorized import signed_in


@check("CACHE-01", "a repeated computation comes from the cache", ref="Ex 48", needs=("cache",))
def test_compute_is_cached(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        key = f"cf{uuid.uuid4().hex[:10]}"
        path = conformance_profile.paths.compute.format(key=key)
        first = client.get(path)
        body = json_body(first, "a computation") if first.status_code == 200 else {}
        computed_at = body.get("computed_at")
        if (
            first.status_code != 200
            or body.get("key") != key
            or body.get("result") != key.upper() * 3
        ):
            mismatch(
                "the computation",
                f'200 {{"key": "{key}", "result": "{key.upper() * 3}", "computed_at": ...}}',
                first,
            )
        # any JSON scalar (the tutorial's is a float from time.time(), an ISO string is as good);
        # null or an empty string tells nothing about when the computation ran
        if not _is_timestamp(computed_at):
            mismatch(
                "CACHE-01: the computation has no computed_at",
                '"computed_at": a JSON scalar (number or non-empty string)',
                first,
            )
        repeat = client.get(path)
        if repeat.status_code != 200 or json_body(repeat, "the repeat") != body:
            mismatch(
                "CACHE-01: the repeated computation was not served from the cache",
                f"the same answer, computed_at {computed_at!r}",
                repeat,
                hint="a cached computation keeps the computed_at of its first run",
            )


def _is_timestamp(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return bool(value)
    return isinstance(value, int | float)


@check("CACHE-02", "a repeat within the TTL says from_cache", ref="Ex 48", needs=("cache",))
def test_item_ttl_cache(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        item_id = random.randint(1_000_000, 2_000_000_000)
        path = conformance_profile.paths.items_cached.format(item_id=item_id)
        expected = {"id": item_id, "name": f"item-{item_id}", "price": 9.99}
        for attempt, from_cache in enumerate((False, True)):
            response = client.get(path)
            want = {**expected, "from_cache": from_cache}
            if response.status_code != 200 or json_body(response, "a cached item") != want:
                mismatch(
                    f"the {'first' if attempt == 0 else 'repeated'} read", f"200 {want}", response
                )
