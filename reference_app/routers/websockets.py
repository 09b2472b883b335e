"""WebSocket echo, broadcast chat, and the HTML test page (WS-01..07)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, WebSocket, WebSocketDisconnect
from fastapi.responses import HTMLResponse

from reference_app.broadcast import ConnectionManager, build_backend, leave_notice
from reference_app.settings import Settings

WS_CLIENT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>WebSocket echo</title></head>
<body>
<h1>WebSocket echo</h1>
<form id="send"><input id="text" autocomplete="off"><button>Send</button></form>
<ul id="messages"></ul>
<script>
const scheme = location.protocol === "https:" ? "wss://" : "ws://";
const ws = new WebSocket(scheme + location.host + "/ws");
ws.onmessage = (event) => {
  const item = document.createElement("li");
  item.textContent = event.data;
  document.getElementById("messages").appendChild(item);
};
document.getElementById("send").onsubmit = (event) => {
  event.preventDefault();
  const input = document.getElementById("text");
  ws.send(input.value);
  input.value = "";
};
</script>
</body>
</html>
"""


def build_websocket_router(settings: Settings) -> APIRouter:
    """The routes, with a lifespan that starts and stops the broadcast backend."""
    manager = ConnectionManager(build_backend(settings.broadcast_backend, settings.redis_url))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.connections = manager
        await manager.start()
        try:
            yield
        finally:
            await manager.stop()

    router = APIRouter(tags=["websockets"], lifespan=lifespan)

    @router.websocket("/ws")
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(f"Echo: {await websocket.receive_text()}")
        except WebSocketDisconnect:
            pass

    @router.websocket("/ws/{client_id}")
    async def chat(websocket: WebSocket, client_id: int) -> None:
        # A non-integer id fails validation before accept: FastAPI closes with 1008,
        # which uvicorn answers as HTTP 403 (WS-04).
        await chat_session(manager, websocket, client_id)

    @router.get("/ws-client", response_class=HTMLResponse)
    async def ws_client() -> HTMLResponse:
        return HTMLResponse(WS_CLIENT_PAGE)

    return router


async def chat_session(manager: ConnectionManager, websocket: WebSocket, client_id: int) -> None:
    """One chat client: its messages go back to it and to everyone; its leaving is announced."""
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
        if manager.disconnect(websocket):
            await manager.broadcast(leave_notice(client_id))
