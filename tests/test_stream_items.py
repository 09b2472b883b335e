"""STREAM-06's bounded reading: when it stops, and what it leaves the check to judge."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from conformance.assertions import stream_items


def _arriving(monkeypatch: pytest.MonkeyPatch, times: list[float]) -> Iterator[int]:
    """Items 0, 1, … arriving at ``times`` (seconds after the request, on a fake clock)."""
    clock = [0.0]
    monkeypatch.setattr(stream_items.time, "monotonic", lambda: clock[0])

    def items() -> Iterator[int]:
        for number, at in enumerate(times):
            clock[0] = at
            yield number

    return items()


def test_a_slow_incremental_stream_is_closed_once_its_delivery_is_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reading = stream_items._bounded(_arriving(monkeypatch, [0.01, 1.0, 2.0, 3.0]), 0.0, 3.0, 20)
    assert [item.value for item in reading.items] == [0, 1]
    assert not reading.ended
    assert not stream_items.came_with_end(reading.items[0].arrived, reading.elapsed)


def test_a_fast_stream_is_still_read_to_the_item_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    times = [0.01 * n for n in range(1, 40)]
    reading = stream_items._bounded(_arriving(monkeypatch, times), 0.0, 3.0, 20)
    assert len(reading.items) == 20


def test_a_buffered_stream_is_read_to_its_end_and_judged(monkeypatch: pytest.MonkeyPatch) -> None:
    reading = stream_items._bounded(_arriving(monkeypatch, [2.0, 2.0, 2.0]), 0.0, 3.0, 20)
    assert reading.ended and len(reading.items) == 3
    assert stream_items.came_with_end(reading.items[0].arrived, reading.elapsed)


def test_items_flushed_in_pairs_are_not_cut_short_before_the_pattern_shows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first pair arrives together late: the second item shows nothing yet."""
    times = [1.0, 1.0, 3.0, 3.0]
    reading = stream_items._bounded(_arriving(monkeypatch, times), 0.0, 5.0, 20)
    assert [item.value for item in reading.items] == [0, 1, 2]


def _waitable(
    monkeypatch: pytest.MonkeyPatch, times: list[float], end: float
) -> tuple[Iterator[int], Callable[[float], bool]]:
    """Items at ``times``, the end at ``end``, and the transport's deadline wait on them."""
    clock = [0.0]
    monkeypatch.setattr(stream_items.time, "monotonic", lambda: clock[0])
    arrivals = [*times, end]
    read = [0]

    def items() -> Iterator[int]:
        for number, at in enumerate(times):
            clock[0] = max(clock[0], at)
            read[0] = number + 1
            yield number
        clock[0] = max(clock[0], end)

    def wait_more(seconds: float) -> bool:
        if arrivals[read[0]] <= clock[0] + seconds:
            return True
        clock[0] += seconds
        return False

    return items(), wait_more


def test_with_a_deadline_wait_a_slow_stream_stops_once_still_open_after_its_first_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items, wait_more = _waitable(monkeypatch, [0.01, 1.0, 2.0], end=60.0)
    reading = stream_items._bounded(items, 0.0, 3.0, 20, wait_more)
    assert [item.value for item in reading.items] == [0]
    assert not reading.ended and reading.elapsed == pytest.approx(0.01 + stream_items.SLOW)
    assert not stream_items.came_with_end(reading.items[0].arrived, reading.elapsed)


@pytest.mark.parametrize(
    ("times", "end", "window"),
    [
        pytest.param([2.0, 2.0, 2.0], 2.0, 3.0, id="buffered"),
        # first item at 10 s: open SLOW (0.1 s) later is too soon to tell (the end within 5 %)
        pytest.param([10.0, 10.4], 10.45, 20.0, id="late-first-item"),
    ],
)
def test_with_a_deadline_wait_a_stream_whose_end_may_hold_its_first_item_is_read_to_it(
    monkeypatch: pytest.MonkeyPatch, times: list[float], end: float, window: float
) -> None:
    items, wait_more = _waitable(monkeypatch, times, end=end)
    reading = stream_items._bounded(items, 0.0, window, 20, wait_more)
    assert reading.ended and len(reading.items) == len(times)
    assert stream_items.came_with_end(reading.items[0].arrived, reading.elapsed)


def test_with_a_deadline_wait_nothing_is_waited_for_past_the_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items, wait_more = _waitable(monkeypatch, [2.9, 50.0], end=60.0)
    reading = stream_items._bounded(items, 0.0, 3.0, 20, wait_more)
    assert len(reading.items) == 1 and not reading.ended
    assert reading.elapsed == pytest.approx(3.0)


def _quiet_after(
    monkeypatch: pytest.MonkeyPatch, times: list[float], timeout_at: float
) -> Iterator[int]:
    """Items at ``times``, then a read that times out at ``timeout_at`` (a socket's read)."""
    arriving = _arriving(monkeypatch, [*times, timeout_at])

    def items() -> Iterator[int]:
        for number in arriving:
            if number == len(times):
                raise httpx.ReadTimeout("timed out")
            yield number

    return items()


def test_a_quiet_stream_that_outwaits_a_read_is_judged_by_what_it_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Events every 8 s, reads bounded by 5 s: open, incremental, not a hanging target."""
    reading = stream_items._bounded(_quiet_after(monkeypatch, [0.01], 5.01), 0.0, 3.0, 20)
    assert [item.value for item in reading.items] == [0]
    assert not reading.ended and reading.elapsed == pytest.approx(5.01)


def test_a_stream_that_sends_nothing_before_its_read_times_out_still_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(httpx.ReadTimeout):
        stream_items._bounded(_quiet_after(monkeypatch, [], 5.0), 0.0, 3.0, 20)


def test_a_timeout_too_soon_after_a_late_first_item_shows_nothing_and_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """First item at 10 s, the read gives up at 10.2 s: the end may have been next."""
    with pytest.raises(httpx.ReadTimeout):
        stream_items._bounded(_quiet_after(monkeypatch, [10.0], 10.2), 0.0, 20.0, 20)
