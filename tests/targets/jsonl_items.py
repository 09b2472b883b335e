"""A small API of its own that streams, shaped like FastAPI's JSON Lines and SSE tutorials.

``GET /items/stream`` yields ``Item`` objects as JSON Lines and ``GET /items/stream/sse``
as server-sent events; FastAPI documents both with an ``itemSchema`` (the SSE event's
``data`` with a ``contentSchema``). The deliberate deviation: one SSE event is sent as a
raw ``ServerSentEvent`` whose data FastAPI does not validate, and its ``price`` is a
string. ``GET /items/stream/live`` is a live feed: the current item at once, then quiet
(longer than a read's patience), as event feeds are between changes; ``GET
/items/stream/changes`` has nothing to say until something changes, which no check waits
for. No items collection: the tutorial's contract checks have nothing to judge.
"""

from __future__ import annotations

from collections.abc import AsyncIterable

import anyio
from fastapi import FastAPI
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel


class Item(BaseModel):
    name: str
    description: str | None = None
    price: float


ITEMS = [
    Item(name="Portal Gun", description="A portal opening device.", price=999.99),
    Item(name="Plumbus", description="A multi-purpose household device.", price=32.99),
    Item(name="Meeseeks Box", description="A box that summons a helper.", price=61.0),
]

app = FastAPI(title="Streamed items", version="1.0.0")


@app.get("/items/stream")
async def stream_items() -> AsyncIterable[Item]:
    for item in ITEMS:
        yield item
        await anyio.sleep(0.05)


@app.get("/items/stream/sse", response_class=EventSourceResponse)
async def stream_item_events() -> AsyncIterable[Item]:
    for index, item in enumerate(ITEMS):
        if index == 1:  # the deviation: raw event data escapes FastAPI's item validation
            yield ServerSentEvent(data={"name": item.name, "price": f"{item.price} USD"})
        else:
            yield item
        await anyio.sleep(0.05)


@app.get("/items/stream/live", response_class=EventSourceResponse)
async def live_item_events() -> AsyncIterable[Item]:
    yield ITEMS[0]
    await anyio.sleep(60)  # no change for a minute
    yield ITEMS[1]


@app.get("/items/stream/changes", response_class=EventSourceResponse)
async def item_changes() -> AsyncIterable[Item]:
    await anyio.sleep(60)  # nothing changes for a minute
    yield ITEMS[2]
