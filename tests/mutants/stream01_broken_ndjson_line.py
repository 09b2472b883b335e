"""One NDJSON line is a Python repr, not JSON (single quotes): a client's parser chokes."""

import json
from collections.abc import AsyncIterator

import anyio

from reference_app.routers import streams
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"STREAM-01"})


async def rows(count: int, interval: float) -> AsyncIterator[str]:
    for index in range(count):
        row = {"id": index, "value": f"item-{index}", "timestamp": streams._now()}
        yield (str(row) if index == count // 2 else json.dumps(row)) + "\n"
        await anyio.sleep(interval)


streams._ndjson_rows = rows
app = reference()
