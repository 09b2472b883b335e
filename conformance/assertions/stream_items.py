"""Reading a documented stream for STREAM-06: framing, timing and items, all bounded.

A stream is read for at most ``window`` seconds or ``limit`` items, then closed: an
infinite stream is judged by its first items. Each item keeps when it arrived, so the
check can tell a stream delivered item by item from one buffered to its end. Once a later
item has shown the delivery incremental (no end could make the first item look buffered),
the reading also stops at the first item that was slow to come: a slow stream is not
waited out for a verdict already reached, a fast one is still read to ``limit`` items.

Where the reading can wait with a deadline (in-process targets: ``WAIT_MORE``; over a
socket: ``SocketReader``, the values read in a thread of their own), it also stops when
nothing comes for ``SLOW`` seconds once the stream has stayed open long enough after its
first item to show that item was not held to the end, and never waits past ``window`` for
an item. Elsewhere (a transport with neither) a read blocks until the next item comes, or
until the read times out: a stream still open then is judged by the items it sent.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
from httpx_sse import EventSource

from conformance.assertions.describe import mismatch
from conformance.assertions.socket_reader import WaitMore, waited

BUFFERED_SHARE = 0.05  # a first item that came in the stream's last 5 % came with its end
SLOW = 0.1  # seconds after the item before: not waited for again once incremental is shown


def came_with_end(first: float, end: float) -> bool:
    """The first item arrived ``first`` s after the request, too close to the end to have
    been delivered before the rest was produced."""
    return end - first < BUFFERED_SHARE * end


@dataclass(frozen=True)
class Item:
    value: Any  # the JSON value of a line, or the SSE event as an object
    arrived: float  # seconds after the request was sent
    number: int  # 1-based


@dataclass
class Reading:
    items: list[Item] = field(default_factory=list)
    ended: bool = False  # the stream ended (not closed by the suite)
    elapsed: float = 0.0  # seconds from the request to the end or to the close


def shown_incremental(items: list[Item]) -> bool:
    """A later item came so long after the first that the first was not held to the end."""
    return len(items) > 1 and not came_with_end(items[0].arrived, items[-1].arrived)


def _open_shows_incremental(first: float) -> float:
    """Seconds after the request by which a stream still open shows that its first item,
    which came ``first`` s after the request, was not held to the end: the first moment
    ``came_with_end(first, ...)`` is false."""
    return first / (1 - BUFFERED_SHARE)


def _bounded(
    values: Iterator[Any],
    started: float,
    window: float,
    limit: int,
    wait_more: WaitMore | None = None,
) -> Reading:
    reading = Reading()
    previous = 0.0
    try:
        for value in values:
            now = time.monotonic() - started
            reading.items.append(Item(value, now, len(reading.items) + 1))
            slow = now - previous >= SLOW
            previous = now
            if (
                len(reading.items) >= limit
                or now >= window
                or (slow and shown_incremental(reading.items))
            ):
                reading.elapsed = now
                return reading
            if wait_more is not None:
                shown_by = max(now + SLOW, _open_shows_incremental(reading.items[0].arrived))
                if not wait_more(max(0.0, min(shown_by, window) - now)):
                    reading.elapsed = time.monotonic() - started
                    return reading  # still open: nothing more came in time
    except httpx.ReadTimeout:
        # A quiet stream (events every 15 s, a heartbeat) outwaits a read: still open, so
        # judged by what it sent, once that shows its first item was not held to the end.
        now = time.monotonic() - started
        if not reading.items or came_with_end(reading.items[0].arrived, now):
            raise
        reading.elapsed = now
        return reading
    reading.ended = True
    reading.elapsed = time.monotonic() - started
    return reading


def json_lines(response: httpx.Response) -> Iterator[Any]:
    """Every non-empty line as a JSON value; fails on the first line that is not one."""
    __tracebackhide__ = True
    for number, line in enumerate(response.iter_lines(), start=1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            mismatch(
                f"JSON Lines line {number} is not JSON: {line[:200]!r} (STREAM-06)",
                "one JSON value per line (jsonlines.org)",
                response,
            )


def sse_objects(response: httpx.Response) -> Iterator[dict[str, Any]]:
    """Every event (WHATWG parsing by httpx-sse) as the object OpenAPI 3.2's item schema
    of an SSE stream describes: ``data``, and ``event``/``id``/``retry`` when sent."""
    for event in EventSource(response).iter_sse():
        value: dict[str, Any] = {"data": event.data}
        if event.event != "message":
            value["event"] = event.event
        if event.id:
            value["id"] = event.id
        if event.retry is not None:
            value["retry"] = event.retry
        yield value


def read_stream(
    response: httpx.Response, kind: str, started: float, window: float, limit: int
) -> Reading:
    values = sse_objects(response) if kind == "sse" else json_lines(response)
    with waited(response, values) as (read, wait_more):
        return _bounded(read, started, window, limit, wait_more)
