"""The producer runs as a detached task feeding a queue: a gone client does not stop it."""

import asyncio
from collections.abc import AsyncIterator

from reference_app.database import Diagnostics
from reference_app.routers import streams
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"STREAM-04"})

original = streams._tracked
producers: set[asyncio.Task[None]] = set()


async def detached(chunks: AsyncIterator[str], diagnostics: Diagnostics) -> AsyncIterator[str]:
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    async def produce() -> None:
        try:
            async for chunk in original(chunks, diagnostics):
                await queue.put(chunk)
        finally:
            await queue.put(None)

    task = asyncio.get_running_loop().create_task(produce())
    producers.add(task)
    task.add_done_callback(producers.discard)
    while (chunk := await queue.get()) is not None:
        yield chunk


streams._tracked = detached
app = reference()
