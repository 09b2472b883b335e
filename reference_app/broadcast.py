"""WebSocket broadcasting: local connections, and a backend that carries messages (WS-02, -07).

``ConnectionManager`` holds this process's connections and delivers a message to all of
them at once. Where a message goes first is the backend's business: ``MemoryBackend``
hands it straight back (one process), ``RedisBackend`` publishes it on a pub/sub channel
that every server process subscribes to, so each delivers to its own clients.

A connection whose send fails (the client vanished without a close frame) is dropped
and announced as gone; it never stops the delivery to the others (WS-03).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import anyio
from starlette.websockets import WebSocket

logger = logging.getLogger(__name__)

Deliver = Callable[[str], Awaitable[None]]
SEND_TIMEOUT = 5.0  # a client that cannot take a message within this is treated as gone
CHANNEL = "reference_app:broadcast"


def leave_notice(client_id: int) -> str:
    return f"[System] Client {client_id} left the chat"


class Backend(Protocol):
    async def start(self, deliver: Deliver) -> None: ...

    async def publish(self, message: str) -> None: ...

    async def stop(self) -> None: ...


class MemoryBackend:
    """One process: a published message is delivered right away."""

    def __init__(self) -> None:
        self._deliver: Deliver | None = None

    async def start(self, deliver: Deliver) -> None:
        self._deliver = deliver

    async def publish(self, message: str) -> None:
        if self._deliver is not None:
            await self._deliver(message)

    async def stop(self) -> None:
        self._deliver = None


class RedisBackend:
    """Redis pub/sub: every process subscribes; one listener task delivers in channel order."""

    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        from redis.asyncio import Redis  # the optional `redis` extra

        self._redis: Any = Redis.from_url(url)
        self._channel = channel
        self._pubsub: Any = None
        self._group: anyio.abc.TaskGroup | None = None

    async def start(self, deliver: Deliver) -> None:
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        await self._pubsub.subscribe(self._channel)
        self._group = anyio.create_task_group()
        await self._group.__aenter__()
        self._group.start_soon(self._listen, deliver)

    async def _listen(self, deliver: Deliver) -> None:
        async for message in self._pubsub.listen():
            if message.get("type") == "message":
                await deliver(message["data"].decode("utf-8"))

    async def publish(self, message: str) -> None:
        await self._redis.publish(self._channel, message)

    async def stop(self) -> None:
        if self._group is not None:
            self._group.cancel_scope.cancel()
            await self._group.__aexit__(None, None, None)
            self._group = None
        if self._pubsub is not None:
            await self._pubsub.aclose()
        await self._redis.aclose()


def build_backend(name: str, redis_url: str) -> Backend:
    return RedisBackend(redis_url) if name == "redis" else MemoryBackend()


class ConnectionManager:
    """This process's WebSocket connections, each with its client id and a send lock."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._connections: dict[WebSocket, int] = {}
        self._locks: dict[WebSocket, anyio.Lock] = {}

    @property
    def count(self) -> int:
        return len(self._connections)

    async def start(self) -> None:
        await self.backend.start(self.deliver)

    async def stop(self) -> None:
        await self.backend.stop()

    async def connect(self, websocket: WebSocket, client_id: int) -> None:
        await websocket.accept()
        self._connections[websocket] = client_id
        self._locks[websocket] = anyio.Lock()

    def disconnect(self, websocket: WebSocket) -> bool:
        """Forget a connection; ``True`` if it was still known (whoever removes it announces)."""
        self._locks.pop(websocket, None)
        return self._connections.pop(websocket, None) is not None

    async def send_personal(self, message: str, websocket: WebSocket) -> bool:
        """Send to one connection; ``False`` (and the connection dropped) if it is gone."""
        if await self._send(websocket, message):
            return True
        await self._drop(websocket)
        return False

    async def broadcast(self, message: str) -> None:
        """To every connection of every process (through the backend)."""
        await self.backend.publish(message)

    async def deliver(self, message: str) -> None:
        """To every local connection concurrently; dead ones are dropped and announced."""
        targets = list(self._connections)
        failed: list[WebSocket] = []

        async def send_one(websocket: WebSocket) -> None:
            if not await self._send(websocket, message):
                failed.append(websocket)

        async with anyio.create_task_group() as group:
            for websocket in targets:
                group.start_soon(send_one, websocket)
        for websocket in failed:
            await self._drop(websocket)

    async def _send(self, websocket: WebSocket, message: str) -> bool:
        lock = self._locks.get(websocket)
        if lock is None:
            return False
        try:
            with anyio.fail_after(SEND_TIMEOUT):
                async with lock:
                    await websocket.send_text(message)
        except Exception as error:  # any failure to send means the client is gone
            logger.info("dropping a WebSocket client: %s", type(error).__name__)
            return False
        return True

    async def _drop(self, websocket: WebSocket) -> None:
        client_id = self._connections.get(websocket)
        if client_id is not None and self.disconnect(websocket):
            await self.broadcast(leave_notice(client_id))
