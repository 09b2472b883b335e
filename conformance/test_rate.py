"""RATE — fixed-window rate limiting per client (SPEC.md, tutorial Example 28)."""

from __future__ import annotations

import contextlib
import random
import threading
from typing import Any

import httpx
import pytest
from pytest_conformance import Profile, Target, check

from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import assert_envelope, assert_error_code, assert_message
from conformance.authorized import signed_in


def _address(n: int) -> str:
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def _neighbours() -> tuple[str, str]:
    """Two client addresses side by side: a limiter must still tell them apart."""
    base = random.randrange(1 << 23) * 2
    return _address(base), _address(base + 1)


def _assert_limited(response: httpx.Response, profile: Profile, what: str) -> None:
    __tracebackhide__ = True
    if response.status_code != 429:
        mismatch(what, "status 429", response)
    envelope = assert_envelope(response, profile.envelope)
    assert_error_code(response, profile.envelope)
    assert_message(envelope, profile.messages.rate_limited, response, "the 429 message")
    retry_after = response.headers.get("Retry-After", "").strip()
    window = profile.rate_limit.window_seconds
    if not retry_after.isdigit() or not 1 <= int(retry_after) <= int(window) + 1:
        mismatch(
            "Retry-After must give the seconds left in the window",
            f"an integer in 1..{int(window) + 1}",
            response,
        )


def _spend(client: httpx.Client, profile: Profile, count: int, **params: Any) -> None:
    __tracebackhide__ = True
    for _ in range(count):
        response = client.get(profile.paths.items, params=params)
        if response.status_code == 429:
            mismatch(
                "the budget ran out early",
                f"{profile.rate_limit.max_requests} requests allowed per window",
                response,
            )


@check(
    "RATE-01",
    "past the budget: 429 RATE_LIMITED with Retry-After",
    ref="Ex 28; RFC 6585 §4",
    needs=("rate_limit",),
)
def test_budget_then_429(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        _spend(client, conformance_profile, conformance_profile.rate_limit.max_requests)
        response = client.get(conformance_profile.paths.items)
        _assert_limited(response, conformance_profile, "the request past the budget")


@check(
    "RATE-01", "invalid requests count against the budget too", ref="Ex 28", needs=("rate_limit",)
)
def test_invalid_requests_count(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        budget = conformance_profile.rate_limit.max_requests
        invalid = [
            {"limit": 0},
            {"skip": -1},
            {"limit": conformance_profile.pagination.max_limit + 1},
        ]
        for n in range(budget):
            response = client.get(conformance_profile.paths.items, params=invalid[n % len(invalid)])
            if response.status_code == 429:
                mismatch("the budget ran out early", f"{budget} requests allowed", response)
        response = client.get(conformance_profile.paths.items)
        _assert_limited(response, conformance_profile, f"a request after {budget} invalid ones")


@check(
    "RATE-02",
    "one client's burst does not block another client",
    ref="Ex 28",
    needs=("rate_limit",),
)
def test_clients_counted_separately(target: Target, conformance_profile: Profile) -> None:
    budget = conformance_profile.rate_limit.max_requests
    first, second = _neighbours()
    with (
        signed_in(target, conformance_profile, identity=first) as greedy,
        signed_in(target, conformance_profile, identity=second) as other,
    ):
        _spend(greedy, conformance_profile, budget)
        _assert_limited(
            greedy.get(conformance_profile.paths.items),
            conformance_profile,
            "the greedy client past its budget",
        )
        for n in range(budget):
            response = other.get(conformance_profile.paths.items)
            if response.status_code != 200:
                mismatch(
                    f"request {n + 1} of another client after the burst",
                    "status 200",
                    response,
                    hint=f"client {second} is not {first}",
                )


@check(
    "RATE-03",
    "a concurrent burst lets exactly the budget through",
    ref="Ex 28",
    needs=("rate_limit",),
)
def test_concurrent_burst(target: Target, conformance_profile: Profile) -> None:
    budget = conformance_profile.rate_limit.max_requests
    burst = budget * 2 + 2
    identity = _neighbours()[0]
    barrier = threading.Barrier(burst, timeout=conformance_profile.timeouts.request)
    statuses: list[int | str] = []

    def fire() -> None:
        try:
            with signed_in(target, conformance_profile, identity=identity) as client:
                barrier.wait()
                statuses.append(client.get(conformance_profile.paths.items).status_code)
        except Exception as error:
            statuses.append(repr(error))

    threads = [threading.Thread(target=fire) for _ in range(burst)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(conformance_profile.timeouts.request * 3)
    allowed = statuses.count(200)
    if allowed != budget or statuses.count(429) != burst - budget:
        pytest.fail(
            f"RATE-03: a burst of {burst} concurrent requests from one client: expected "
            f"exactly {budget} x 200 and the rest 429, got {sorted(map(str, statuses))}"
        )


@check("RATE-04", "processes share one budget", ref="extension", needs=("rate_limit",))
def test_budget_shared_across_processes(target: Target, conformance_profile: Profile) -> None:
    peers = conformance_profile.rate_limit.peer_urls
    if not peers:
        pytest.skip("the profile names no other process of the target ([rate_limit] peer_urls)")
    identity = _neighbours()[0]
    timeout = httpx.Timeout(conformance_profile.timeouts.request)
    with contextlib.ExitStack() as stack:
        clients = [stack.enter_context(signed_in(target, conformance_profile, identity=identity))]
        for url in peers:  # the peers trust the loopback proxy, like the target itself
            clients.append(
                stack.enter_context(
                    httpx.Client(
                        base_url=url, headers={"X-Forwarded-For": identity}, timeout=timeout
                    )
                )
            )
        for n in range(conformance_profile.rate_limit.max_requests):
            response = clients[n % len(clients)].get(conformance_profile.paths.items)
            if response.status_code != 200:
                mismatch(
                    f"request {n + 1} of the budget, spread over the processes",
                    "status 200",
                    response,
                )
        for client in clients:
            _assert_limited(
                client.get(conformance_profile.paths.items),
                conformance_profile,
                "a request past the budget spent on the other processes",
            )
