"""/ws/{client_id} takes any string and hashes it to a number instead of refusing it."""

import zlib

from fastapi import WebSocket

from tests.mutants._base import reference
from tests.mutants._routes import drop_route

CAUGHT_BY = frozenset({"WS-04"})

app = reference()
drop_route(app, "/ws/{client_id}")


@app.websocket("/ws/{client_id}")
async def chat(websocket: WebSocket, client_id: str) -> None:
    from reference_app.routers.websockets import chat_session

    number = int(client_id) if client_id.isdigit() else zlib.crc32(client_id.encode())
    await chat_session(websocket.app.state.connections, websocket, number)
