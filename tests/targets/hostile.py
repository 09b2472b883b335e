"""Tiny pure-ASGI apps that are hostile to a test suite, one way each (issue 15).

Each attribute is an app; the suite run against it must end in time, in bounded memory,
with a message naming the cause:

- ``silent_ws``: HTTP answers a quick 404; WebSockets are accepted and never spoken to
  (the app neither sends, nor reads, nor closes);
- ``trickle``: every answer is an endless JSON body, a byte every 0.2 s (each read is
  quick, the body never ends);
- ``huge``: every answer is a 200 MB JSON body (generated in 1 MB chunks);
- ``silent``: never answers an HTTP request, never accepts a WebSocket;
- ``garbage``: every answer is random bytes, NUL and escape bytes included;
- ``lifespan_unsupported``: raises on the lifespan scope at once (as apps without lifespan
  support do), and answers every request with a 404;
- ``lifespan_failing``: its lifespan startup raises (the app's own exception).
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import anyio

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Scope = MutableMapping[str, Any]

_MB = 1 << 20


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _answer(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _not_found(send: Send) -> None:
    await _answer(send, 404, b'{"detail":"Not Found"}', b"application/json")


async def _refuse_websocket(receive: Receive, send: Send) -> None:
    await receive()  # websocket.connect
    await send({"type": "websocket.close", "code": 1008})


async def silent_ws(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
    elif scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.accept"})
        await anyio.sleep_forever()
    else:
        await _not_found(send)


async def trickle(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
    elif scope["type"] == "websocket":
        await _refuse_websocket(receive, send)
    else:
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"[", "more_body": True})
        while True:
            await anyio.sleep(0.2)
            await send({"type": "http.response.body", "body": b"0", "more_body": True})


async def huge(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
    elif scope["type"] == "websocket":
        await _refuse_websocket(receive, send)
    else:
        size = 200 * _MB
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % size)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        chunk = b"[" + b"0," * (_MB // 2 - 1) + b"0"  # 1 MB; the first chunk opens the array
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
        chunk = b"," + chunk[1:]
        for _ in range(198):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"," + chunk[1:-1] + b"]"})


async def silent(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
    else:
        await anyio.sleep_forever()


async def garbage(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
    elif scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "bytes": b"\x00\x1b[2J" + os.urandom(64)})
        await send({"type": "websocket.close", "code": 1000})
    else:
        body = b"\x00\x1b[31m\x07\x08" + os.urandom(200)
        await _answer(send, 200, body, b"application/json")


async def lifespan_unsupported(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        raise RuntimeError("this app only speaks HTTP")
    if scope["type"] == "websocket":
        await _refuse_websocket(receive, send)
    else:
        await _not_found(send)


class DatabaseUnreachable(Exception):
    pass


async def lifespan_failing(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await receive()  # lifespan.startup
        raise DatabaseUnreachable("db.example:5432 refused the connection")
    await _not_found(send)
