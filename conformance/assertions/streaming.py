"""Reading NDJSON and Server-Sent Events streams, bounded, for the STREAM checks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
from httpx_sse import EventSource, ServerSentEvent
from pytest_conformance import Profile

from conformance.assertions.describe import mismatch


def stream_path(path: str, profile: Profile, **params: str | int | float) -> str:
    """``path`` without its query, then ``params`` (only if the target takes them)."""
    bare = httpx.URL(path).copy_with(query=None)
    if not profile.capabilities.stream_params:
        return str(bare)
    return str(bare.copy_merge_params(params))


def stream_timeout(profile: Profile) -> httpx.Timeout:
    """A request timeout to connect and get headers; the stream timeout for every read."""
    return httpx.Timeout(profile.timeouts.request, read=profile.timeouts.stream)


def ndjson_rows(response: httpx.Response, limit: int) -> list[dict[str, Any]]:
    """Every line as a JSON object; fails on the first line that is not one."""
    __tracebackhide__ = True
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(response.iter_lines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            mismatch(
                f"NDJSON line {number} is not JSON: {line[:200]!r}",
                "one JSON object per line",
                response,
            )
        if not isinstance(row, dict):
            mismatch(
                f"NDJSON line {number} is not an object: {line[:200]!r}",
                "one JSON object per line",
                response,
            )
        rows.append(row)
        if len(rows) > limit:
            break
    return rows


def sse_events(response: httpx.Response) -> Iterator[ServerSentEvent]:
    """Every event, parsed by the WHATWG rules (httpx-sse)."""
    return EventSource(response).iter_sse()


def sse_payloads(response: httpx.Response) -> Iterator[Any]:
    """The JSON payload of every event (WHATWG parsing by httpx-sse); fails on non-JSON data."""
    __tracebackhide__ = True
    for event in sse_events(response):
        try:
            yield json.loads(event.data)
        except json.JSONDecodeError:
            mismatch(
                f"an SSE event's data is not JSON: {event.data[:200]!r}",
                "events 'data: <json>' separated by a blank line",
                response,
                hint="a single newline does not end an event: its data lines are joined",
            )
