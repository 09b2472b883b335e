"""/ws answers with the bare message instead of 'Echo: m'."""

from fastapi import WebSocket, WebSocketDisconnect

from tests.mutants._base import reference
from tests.mutants._routes import drop_route

CAUGHT_BY = frozenset({"WS-01"})


app = reference()
drop_route(app, "/ws")


@app.websocket("/ws")
async def parrot(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass
