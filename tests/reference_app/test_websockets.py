"""WS-01..06 in the reference app: the connection manager, echo, chat, refusal, page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx_ws
import pytest
from httpx_ws.transport import ASGIWebSocketTransport
from refapp_support import app_and_client, client_for

from reference_app.broadcast import ConnectionManager, MemoryBackend

pytestmark = pytest.mark.anyio


class FakeSocket:
    """Records what it is sent; a dead one fails every send, as a vanished client does."""

    def __init__(self, *, dead: bool = False, delay: float = 0) -> None:
        self.dead, self.delay, self.received = dead, delay, []  # type: list[str]

    async def accept(self) -> None:
        pass

    async def send_text(self, text: str) -> None:
        await anyio.sleep(self.delay)
        if self.dead:
            raise RuntimeError("connection lost")
        self.received.append(text)


async def _manager(*sockets: FakeSocket) -> ConnectionManager:
    manager = ConnectionManager(MemoryBackend())
    await manager.start()
    for client_id, socket in enumerate(sockets, start=1):
        await manager.connect(socket, client_id)  # type: ignore[arg-type]
    return manager


async def test_a_dead_connection_is_dropped_announced_and_breaks_nothing() -> None:
    dead, alive = FakeSocket(dead=True), FakeSocket()
    manager = await _manager(dead, alive)
    await manager.broadcast("one")
    await manager.broadcast("two")
    assert alive.received == ["one", "[System] Client 1 left the chat", "two"]
    assert manager.count == 1


async def test_delivery_is_concurrent() -> None:
    sockets = [FakeSocket(delay=0.2) for _ in range(20)]
    manager = await _manager(*sockets)
    with anyio.fail_after(1):  # one after another would take 4 s
        await manager.broadcast("hello")
    assert all(socket.received == ["hello"] for socket in sockets)


@asynccontextmanager
async def _ws(app: Any, path: str) -> AsyncIterator[Any]:
    transport = ASGIWebSocketTransport(app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        httpx_ws.aconnect_ws(path, client, keepalive_ping_interval_seconds=None) as session,
    ):
        yield session


async def test_echo_and_chat(tmp_path: Path) -> None:
    async with app_and_client(tmp_path) as (app, _):
        with anyio.fail_after(5):
            async with _ws(app, "/ws") as echo:
                await echo.send_text("hi")
                assert await echo.receive_text() == "Echo: hi"
            async with _ws(app, "/ws/1") as one:
                async with _ws(app, "/ws/2") as two:
                    await one.send_text("m")
                    assert {await one.receive_text(), await one.receive_text()} == {
                        "[You] m",
                        "[Client 1] m",
                    }
                    assert await two.receive_text() == "[Client 1] m"
                assert await one.receive_text() == "[System] Client 2 left the chat"


@pytest.mark.parametrize("client_id", ["abc", "1.5"])
async def test_non_integer_id_is_refused(tmp_path: Path, client_id: str) -> None:
    async with app_and_client(tmp_path) as (app, _):
        with pytest.raises(BaseException) as raised:  # httpx-ws wraps it in task groups
            async with _ws(app, f"/ws/{client_id}"):
                pass
    refused = raised.value
    while isinstance(refused, BaseExceptionGroup) and len(refused.exceptions) == 1:
        refused = refused.exceptions[0]
    assert isinstance(refused, httpx_ws.WebSocketDisconnect) and refused.code == 1008


async def test_client_page(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get("/ws-client")
    assert response.headers["content-type"].startswith("text/html")
    assert '"/ws"' in response.text and "new WebSocket(" in response.text
