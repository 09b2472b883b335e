"""SSE events end with one newline, so a WHATWG parser joins them into one event."""

import json
from collections.abc import AsyncIterator

import anyio

from reference_app.routers import streams
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"STREAM-02"})


async def events(count: int, interval: float) -> AsyncIterator[str]:
    for index in range(count):
        yield f"data: {json.dumps({'count': index, 'time': streams._now()})}\n"
        await anyio.sleep(interval)
    yield f"data: {json.dumps({'done': True})}\n\n"


streams._sse_events = events
app = reference()
