"""STREAM-06's bounded reading: when it stops, and what it leaves the check to judge."""

from __future__ import annotations

from collections.abc import Iterator

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
