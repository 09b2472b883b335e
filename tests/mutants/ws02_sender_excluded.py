"""The broadcast skips the sender: it gets '[You] m' but never '[Client k] m'."""

from fastapi import WebSocket, WebSocketDisconnect

from reference_app.broadcast import ConnectionManager, leave_notice
from reference_app.routers import websockets
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"WS-02"})


async def chat_session(manager: ConnectionManager, websocket: WebSocket, client_id: int) -> None:
    await manager.connect(websocket, client_id)
    try:
        while True:
            message = await websocket.receive_text()
            await manager.send_personal(f"[You] {message}", websocket)
            for other in [peer for peer in manager._connections if peer is not websocket]:
                await manager.send_personal(f"[Client {client_id}] {message}", other)
    except WebSocketDisconnect:
        pass
    finally:
        if manager.disconnect(websocket):
            await manager.broadcast(leave_notice(client_id))


websockets.chat_session = chat_session
app = reference()
