"""Each broadcast is handed to its own background task: a burst arrives shuffled."""

import asyncio
import random

from reference_app.broadcast import ConnectionManager
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"WS-05"})

pending: set[asyncio.Task[None]] = set()


async def broadcast(self: ConnectionManager, message: str) -> None:
    async def later() -> None:
        await asyncio.sleep(random.uniform(0, 0.02))
        await self.backend.publish(message)

    task = asyncio.get_running_loop().create_task(later())
    pending.add(task)
    task.add_done_callback(pending.discard)


ConnectionManager.broadcast = broadcast  # type: ignore[method-assign]
app = reference()
