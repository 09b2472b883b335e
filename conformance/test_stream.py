"""STREAM — streaming responses (SPEC.md, tutorial Example 43).

Streams are read with the STREAM-05 parameters so no check waits for a slow producer;
every read is bounded by ``timeouts.stream``.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from jsonschema.exceptions import best_match
from pytest_conformance import Profile, Target, check, not_applicable, require
from pytest_conformance.target_model import StreamOperation, TargetModel
from pytest_conformance.targets.bounded import QUIET_PAUSES

from conformance.assertions.describe import mismatch
from conformance.assertions.stream_items import Item, Reading, came_with_end, read_stream
from conformance.assertions.streaming import (
    ndjson_rows,
    sse_events,
    sse_payloads,
    stream_path,
    stream_timeout,
)
from conformance.authorized import signed_in
from conformance.operation_calls import Unbuildable, credentials_for, representative_call
from conformance.session import bearer, login

SPEC_LINES = 100  # STREAM-01 without parameters
SPEC_EVENTS = 10  # STREAM-02 without parameters
SLOW_INTERVAL = 1.5  # STREAM-03/04: seconds between items of a stream meant to be slow
OPENED_STREAMS = 3  # STREAM-04
DISCONNECT_GRACE = 1.5  # STREAM-04: SPEC's second, plus the diagnostics round trip


def _check_rows(rows: list[dict[str, Any]], count: int, response: httpx.Response) -> None:
    __tracebackhide__ = True
    ids = [row.get("id") for row in rows]
    if ids != list(range(count)):
        mismatch(
            f"NDJSON ids are not 0..{count - 1} in order (STREAM-01)",
            f"ids {list(range(min(count, 5)))}… ({count} lines)",
            response,
            hint=f"got ids {ids[:10]}… ({len(ids)} lines)",
        )
    for row in rows:
        if row.get("value") != f"item-{row['id']}" or not isinstance(row.get("timestamp"), str):
            mismatch(
                f"NDJSON line {row!r} is not {{id, value: 'item-{{id}}', timestamp}}",
                '{"id": i, "value": "item-i", "timestamp": "…"}',
                response,
            )


@check(
    "STREAM-01",
    "/stream/data is NDJSON: ids 0..N-1 in order, every line parses",
    ref="Ex 43; ndjson.org",
    needs=("streams",),
)
@pytest.mark.parametrize("lines", [7, SPEC_LINES])
def test_ndjson(lines: int, target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        if lines != SPEC_LINES:
            require(conformance_profile, "stream_params")
        query = {"max_events": lines, "interval": 0} if lines != SPEC_LINES else {"interval": 0}
        path = stream_path(conformance_profile.paths.stream_data, conformance_profile, **query)
        with client.stream("GET", path, timeout=stream_timeout(conformance_profile)) as response:
            if response.status_code != 200:
                response.read()
                mismatch(f"GET {path} did not stream", "200", response)
            media = conformance_profile.streams.ndjson_content_type
            if not response.headers.get("content-type", "").startswith(media):
                mismatch(
                    "the NDJSON stream has the wrong content type (STREAM-01)",
                    f"Content-Type: {media}",
                    response,
                )
            rows = ndjson_rows(response, limit=lines)
        _check_rows(rows, lines, response)


@check(
    "STREAM-02",
    "/stream/events is SSE: no-cache, unbuffered, count events then done",
    ref="Ex 43; WHATWG HTML §9.2",
    needs=("streams",),
)
@pytest.mark.parametrize("events", [3, SPEC_EVENTS])
def test_sse(events: int, target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        if events != SPEC_EVENTS:
            require(conformance_profile, "stream_params")
        query = {"max_events": events, "interval": 0} if events != SPEC_EVENTS else {"interval": 0}
        path = stream_path(conformance_profile.paths.stream_events, conformance_profile, **query)
        with client.stream("GET", path, timeout=stream_timeout(conformance_profile)) as response:
            headers = response.headers
            if (
                response.status_code != 200
                or not headers.get("content-type", "").startswith("text/event-stream")
                or "no-cache" not in headers.get("cache-control", "")
                or headers.get("x-accel-buffering") != "no"
            ):
                mismatch(
                    "the SSE stream's status or headers are wrong (STREAM-02)",
                    "200, text/event-stream, Cache-Control: no-cache, X-Accel-Buffering: no",
                    response,
                )
            payloads = []
            for payload in sse_payloads(response):
                payloads.append(payload)
                if len(payloads) > events + 1:
                    break
        counts = [p.get("count") if isinstance(p, dict) else p for p in payloads[:-1]]
        times_ok = all(
            isinstance(p, dict) and isinstance(p.get("time"), str) for p in payloads[:-1]
        )
        if counts != list(range(events)) or not times_ok or payloads[-1:] != [{"done": True}]:
            mismatch(
                f"the SSE payloads are not {events} counts then done (STREAM-02)",
                f'{{"count": 0, "time": …}} … {{"count": {events - 1}, …}}, {{"done": true}}',
                response,
                hint=f"got {payloads[:4]!r}… ({len(payloads)} events)",
            )


@check(
    "STREAM-02",
    "every SSE event has an id, so a reconnecting client can resume (Last-Event-ID)",
    ref="Ex 43; WHATWG HTML §9.2.4",
    level="strict",
    needs=("streams", "stream_params"),
)
def test_sse_event_ids(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        path = stream_path(
            conformance_profile.paths.stream_events, conformance_profile, max_events=3, interval=0
        )
        with client.stream("GET", path, timeout=stream_timeout(conformance_profile)) as response:
            ids = [event.id for _, event in zip(range(10), sse_events(response), strict=False)]
        if not ids or not all(ids):
            mismatch(
                "SSE events without an id: field (STREAM-02, strict)",
                "'id: <value>' on every event",
                response,
                hint=f"ids seen: {ids!r}; without them EventSource cannot send Last-Event-ID",
            )


@check(
    "STREAM-03",
    "the first item arrives long before the stream could have ended",
    ref="Ex 43",
    needs=("streams", "stream_params"),
)
@pytest.mark.parametrize("kind", ["ndjson", "sse"])
def test_incremental(kind: str, target: Target, conformance_profile: Profile) -> None:
    """Two slow items: a buffered stream shows nothing until the producer is done."""
    with signed_in(target, conformance_profile) as client:
        paths = conformance_profile.paths
        base = paths.stream_data if kind == "ndjson" else paths.stream_events
        path = stream_path(base, conformance_profile, max_events=2, interval=SLOW_INTERVAL)
        started = time.monotonic()
        with client.stream("GET", path, timeout=stream_timeout(conformance_profile)) as response:
            first = next(response.iter_lines(), None)
            waited = time.monotonic() - started
        if first is None or waited >= SLOW_INTERVAL / 2:
            mismatch(
                f"the first {kind} item came {waited:.2f} s after the request (STREAM-03)",
                f"the first item within {SLOW_INTERVAL / 2:g} s; the producer needs "
                f"{2 * SLOW_INTERVAL:g} s for the whole stream",
                response,
                hint="is the response buffered (a middleware reading the whole body)?",
            )


def _active_streams(client: httpx.Client, profile: Profile, token: str) -> int:
    __tracebackhide__ = True
    response = client.get(profile.paths.diagnostics, headers=bearer(token, profile))
    value = response.json().get("active_streams") if response.status_code == 200 else None
    if not isinstance(value, int):
        mismatch(
            "the diagnostics endpoint does not count streams",
            '200 {"active_streams": int}',
            response,
        )
    return value


@check(
    "STREAM-04",
    "a client disconnecting mid-stream stops the producer",
    ref="Ex 43",
    needs=("streams", "stream_params"),
)
def test_disconnect_stops_producer(target: Target, conformance_profile: Profile) -> None:
    """Our streams must leave the count within a second of the disconnect.

    Measured against the count while ours were open: other streams of the target may end
    meanwhile, so ``active_streams`` must drop by at least as many streams as we opened.
    """
    require(conformance_profile, "diagnostics")
    path = stream_path(
        conformance_profile.paths.stream_events,
        conformance_profile,
        max_events=100,
        interval=SLOW_INTERVAL,
    )
    with target.client() as admin, contextlib.ExitStack() as stack:
        token = login(admin, conformance_profile, "admin")
        before = _active_streams(admin, conformance_profile, token)
        held: list[Iterator[str]] = []
        for _ in range(OPENED_STREAMS):
            reader = stack.enter_context(signed_in(target, conformance_profile))
            response = stack.enter_context(
                reader.stream("GET", path, timeout=stream_timeout(conformance_profile))
            )
            lines = response.iter_lines()
            next(lines, None)  # the producer has started
            held.append(lines)  # dropping the iterator would close the stream
        during = _active_streams(admin, conformance_profile, token)
        if during < before + OPENED_STREAMS:
            mismatch(
                "open streams are not counted in active_streams (STREAM-04)",
                f"active_streams at least {before} + {OPENED_STREAMS} while ours are open",
                response,
                hint=f"active_streams is {during}",
            )
        stack.close()  # every client goes away
        deadline = time.monotonic() + DISCONNECT_GRACE
        while (
            after := _active_streams(admin, conformance_profile, token)
        ) > during - OPENED_STREAMS:
            if time.monotonic() > deadline:
                mismatch(
                    "producers kept running after their clients went away (STREAM-04)",
                    f"active_streams down from {during} by {OPENED_STREAMS} within "
                    f"{DISCONNECT_GRACE:g} s",
                    response,
                    hint=f"active_streams is still {after}",
                )
            time.sleep(0.05)


@check(
    "STREAM-05",
    "max_events and interval bound the stream; out of range is 422",
    ref="Ex 43",
    needs=("streams", "stream_params"),
)
@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"max_events": 101, "interval": 0}, 422),
        ({"max_events": 1, "interval": 5.5}, 422),
        ({"max_events": 100, "interval": 0}, 200),
        ({"max_events": 1, "interval": 5}, 200),
    ],
)
def test_params_bounded(
    query: dict[str, float], status: int, target: Target, conformance_profile: Profile
) -> None:
    with signed_in(target, conformance_profile) as client:
        if status == 422:
            status = conformance_profile.errors.validation_status
        for base in (
            conformance_profile.paths.stream_data,
            conformance_profile.paths.stream_events,
        ):
            path = stream_path(base, conformance_profile, **query)
            with client.stream(
                "GET", path, timeout=stream_timeout(conformance_profile)
            ) as response:
                if response.status_code != status:
                    mismatch(
                        f"GET {path} (STREAM-05)",
                        str(status),
                        response,
                        hint="N must be 1..100 and S 0..5",
                    )


STREAM_ITEMS = 20  # STREAM-06: items read from a documented stream before closing it
STREAM_WINDOW = 3.0  # STREAM-06: seconds a documented stream is read before closing it
BUFFERED_AFTER = 0.5  # STREAM-06: a stream this long whose first item came with its end


@check(
    "STREAM-06",
    "every documented stream frames its items, delivers them incrementally, and each "
    "matches its declared item schema",
    ref="ANY; OpenAPI 3.2 §4.14.4; WHATWG SSE; jsonlines.org",
)
def test_documented_stream(
    stream_operation: StreamOperation,
    client: httpx.Client,
    conformance_profile: Profile,
    declared_model: TargetModel,
) -> None:
    operation = stream_operation.operation
    try:
        call = representative_call(declared_model, operation)
    except Unbuildable as reason:
        not_applicable(f"no request can be built for {operation.name}: {reason}")
    headers = {
        "Accept": stream_operation.media_type,
        **credentials_for(client, conformance_profile, declared_model, operation),
    }
    timeout = stream_timeout(conformance_profile)
    started = time.monotonic()
    request = client.build_request(
        operation.method, call.path, params=call.params, headers={**call.headers, **headers},
        json=call.json, timeout=timeout,
    )  # fmt: skip
    request.extensions[QUIET_PAUSES] = True  # a live feed may outwait a read
    response = client.send(request, stream=True)
    try:
        if response.status_code != stream_operation.status:
            response.read()
            mismatch(
                f"{call.describe()} did not answer its documented stream (STREAM-06)",
                f"{stream_operation.status} {stream_operation.media_type}",
                response,
            )
        received = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if received != stream_operation.media_type:
            mismatch(
                f"{call.describe()} streams with another media type than documented (STREAM-06)",
                f"Content-Type: {stream_operation.media_type}",
                response,
            )
        try:
            reading = read_stream(
                response, stream_operation.kind, started, STREAM_WINDOW, STREAM_ITEMS
            )
        except httpx.ReadTimeout:
            if response.num_bytes_downloaded:
                raise  # it spoke, yet no item came whole in time
            not_applicable(
                f"{call.describe()} answered {stream_operation.media_type} but sent nothing "
                f"within {conformance_profile.timeouts.stream:g} s: a feed that speaks only "
                "when something happens cannot be judged here ([timeouts] stream waits longer)"
            )
    finally:
        response.close()
    _check_incremental(reading, call.describe(), response)
    _check_items(reading, stream_operation, declared_model, response)


def _check_incremental(reading: Reading, what: str, response: httpx.Response) -> None:
    """A stream that took a while yet showed its first item only with its end is buffered."""
    __tracebackhide__ = True
    if not reading.ended or not reading.items or reading.elapsed < BUFFERED_AFTER:
        return  # closed while items were still coming, or too quick to tell
    first = reading.items[0].arrived
    if len(reading.items) > 1 and came_with_end(first, reading.elapsed):
        mismatch(
            f"{what}: the first of {len(reading.items)} items came {first:.2f} s after the "
            f"request, together with the end at {reading.elapsed:.2f} s (STREAM-06)",
            "items delivered as they are produced",
            response,
            hint="is the response buffered (a middleware reading the whole body)?",
        )


def _item_errors(item: Item, stream: StreamOperation, model: TargetModel) -> tuple[str, Any] | None:
    """What is wrong with ``item`` by the declared item schema: (message, value) or None."""
    document = model.document
    if stream.item_schema_pointer is None or document is None:
        return None
    error = best_match(document.validator_at(stream.item_schema_pointer).iter_errors(item.value))
    if error is not None:
        return error.message, item.value
    if stream.kind != "sse":
        return None
    declared = document.resolve(document.resolve({"$ref": "#" + stream.item_schema_pointer}))
    data = declared.get("properties", {}).get("data") if isinstance(declared, dict) else None
    if not (isinstance(data, dict) and "contentSchema" in data):
        return None
    try:
        payload = json.loads(item.value["data"])
    except json.JSONDecodeError:
        return "the event's data is not the JSON its contentSchema describes", item.value["data"]
    pointer = f"{stream.item_schema_pointer}/properties/data/contentSchema"
    error = best_match(document.validator_at(pointer).iter_errors(payload))
    return (f"its data: {error.message}", payload) if error is not None else None


def _check_items(
    reading: Reading, stream: StreamOperation, model: TargetModel, response: httpx.Response
) -> None:
    __tracebackhide__ = True
    for item in reading.items:
        wrong = _item_errors(item, stream, model)
        if wrong is not None:
            message, value = wrong
            mismatch(
                f"{stream.operation.name}: item {item.number} does not match the item schema "
                f"the document declares (STREAM-06): {message}",
                f"items valid against #{stream.item_schema_pointer}",
                response,
                hint=f"item {item.number}: {json.dumps(value, default=str)[:300]}",
            )
