"""The SSE stream just stops: no final {"done": true} event."""

import json
from collections.abc import AsyncIterator

import anyio

from reference_app.routers import streams
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"STREAM-02"})


async def events(count: int, interval: float) -> AsyncIterator[str]:
    for index in range(count):
        yield f"data: {json.dumps({'count': index, 'time': streams._now()})}\n\n"
        await anyio.sleep(interval)


streams._sse_events = events
app = reference()
