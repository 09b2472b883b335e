"""Every answer is bounded: a total deadline, a byte cap, and a dead-target stop (issue 15)."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from pytest_conformance.targets.bounded import (
    QUIET_PAUSES,
    BodyTooLarge,
    BoundedTransport,
    TargetHealth,
    TargetUnresponsive,
)


def _client(body: Callable[[], Iterator[bytes]], health: TargetHealth) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body())

    transport = BoundedTransport(
        httpx.MockTransport(handler), total=0.3, max_bytes=1000, health=health
    )
    return httpx.Client(transport=transport, base_url="http://target")


def _trickle() -> Iterator[bytes]:
    for _ in itertools.count():
        time.sleep(0.02)
        yield b"0"


def _huge() -> Iterator[bytes]:
    while True:
        yield b"x" * 100


def _small() -> Iterator[bytes]:
    yield b'{"ok": '
    yield b"true}"


def test_a_body_that_never_ends_fails_at_the_total_deadline() -> None:
    with _client(_trickle, TargetHealth(3)) as client:
        start = time.monotonic()
        with pytest.raises(httpx.ReadTimeout, match=r"did not end within 0\.3 s.*timeouts\.total"):
            client.get("/")
        assert time.monotonic() - start < 1.0


def test_a_body_past_the_cap_fails_and_is_not_kept() -> None:
    with (
        _client(_huge, TargetHealth(3)) as client,
        pytest.raises(BodyTooLarge, match=r"outgrew 1000 bytes \(profile limits\.body\)"),
    ):
        client.get("/")


def test_streams_stay_incremental() -> None:
    with _client(_small, TargetHealth(3)) as client, client.stream("GET", "/") as response:
        assert next(response.iter_raw()) == b'{"ok": '


def test_consecutive_failures_make_the_target_unresponsive_and_an_answer_resets_them() -> None:
    health = TargetHealth(2)
    with _client(_huge, health) as huge, _client(_small, health) as small:
        with pytest.raises(BodyTooLarge):
            huge.get("/")
        assert small.get("/").json() == {"ok": True}  # resets the count
        for _ in range(2):
            with pytest.raises(BodyTooLarge):
                huge.get("/")
        assert health.cause is not None and "unresponsive" in health.cause
        start = time.monotonic()
        with pytest.raises(TargetUnresponsive, match=r"timeouts\.unresponsive_after = 2"):
            small.get("/")
        assert time.monotonic() - start < 0.1


def _quiet() -> Iterator[bytes]:
    yield b"data: first\n\n"
    raise httpx.ReadTimeout("timed out")  # the next event is later than a read waits


@pytest.mark.parametrize(("flagged", "counted"), [(True, 0), (False, 1)])
def test_a_read_timeout_counts_against_the_target_unless_its_stream_may_pause(
    flagged: bool, counted: int
) -> None:
    """STREAM-06 reads live feeds flagged ``QUIET_PAUSES``: three quiet feeds in a row must
    not declare a healthy target unresponsive."""
    health = TargetHealth(1)
    with _client(_quiet, health) as client:
        request = client.build_request("GET", "/feed")
        if flagged:
            request.extensions[QUIET_PAUSES] = True
        response = client.send(request, stream=True)
        with pytest.raises(httpx.ReadTimeout):
            response.read()
    assert (health.cause is not None) == bool(counted)
