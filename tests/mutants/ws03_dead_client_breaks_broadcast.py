"""The broadcast loop sends one client after another and stops at the first dead one."""

from reference_app.broadcast import ConnectionManager
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"WS-03"})


async def deliver(self: ConnectionManager, message: str) -> None:
    for websocket in list(self._connections):
        await websocket.send_text(message)


ConnectionManager.deliver = deliver  # type: ignore[method-assign]
app = reference()
