"""Nobody is told when a client leaves, whether it closed or vanished."""

from fastapi import WebSocket, WebSocketDisconnect

from reference_app.broadcast import ConnectionManager
from reference_app.routers import websockets
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"WS-03"})


async def chat_session(manager: ConnectionManager, websocket: WebSocket, client_id: int) -> None:
    await manager.connect(websocket, client_id)
    try:
        while True:
            message = await websocket.receive_text()
            if not await manager.send_personal(f"[You] {message}", websocket):
                return
            await manager.broadcast(f"[Client {client_id}] {message}")
    except WebSocketDisconnect:
        pass
    finally:
        manager.disconnect(websocket)


async def drop_silently(self: ConnectionManager, websocket: WebSocket) -> None:
    self.disconnect(websocket)


websockets.chat_session = chat_session
ConnectionManager._drop = drop_silently  # type: ignore[method-assign]
app = reference()
