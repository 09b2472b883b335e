"""The document declares the NDJSON stream's item schema, and one line is off it.

The rows keep STREAM-01's shape (ids in order, ``value``, ``timestamp``), but the
declared item schema closes the object and one row carries an extra ``debug`` member:
only a check that validates each item against ``itemSchema`` sees it.
"""

import json
from collections.abc import AsyncIterator
from typing import Any

import anyio

from reference_app.routers import streams
from tests.mutants._base import reference, rewrite_document

CAUGHT_BY = frozenset({"STREAM-06"})

ITEM_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "value": {"type": "string"},
        "timestamp": {"type": "string"},
    },
    "required": ["id", "value", "timestamp"],
    "additionalProperties": False,
}


async def rows(count: int, interval: float) -> AsyncIterator[str]:
    for index in range(count):
        row: dict[str, Any] = {"id": index, "value": f"item-{index}", "timestamp": streams._now()}
        if index == 1:
            row["debug"] = {"producer": "rows"}
        yield json.dumps(row) + "\n"
        await anyio.sleep(interval)


def declare_item_schema(document: dict[str, Any]) -> None:
    content = document["paths"]["/stream/data"]["get"]["responses"]["200"]["content"]
    content["application/x-ndjson"]["x-itemSchema"] = ITEM_SCHEMA  # 3.1: the extension


streams._ndjson_rows = rows
app = reference()
rewrite_document(app, declare_item_schema)
