"""Over the network, no request goes out on a connection that answered a server error."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from collections.abc import Iterator

import httpx
import pytest
from pytest_conformance.targets.fresh_after_error import FreshAfterError

ERROR = b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\n\r\nboom!"
FINE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


@contextlib.contextmanager
def uvicorn_like() -> Iterator[tuple[str, list[int]]]:
    """A server that answers its connections' first request with a 500 (keeping the
    connection, as uvicorn's answer says) when the path is /crash, else 200; a connection
    that already answered a 500 is reset at its next request, as uvicorn closes it."""
    listener = socket.create_server(("127.0.0.1", 0))
    connections: list[int] = []  # the requests each accepted connection received

    def serve(connection: socket.socket, index: int) -> None:
        crashed = False
        with connection:
            while data := connection.recv(65536):
                connections[index] += 1
                if crashed:
                    linger = struct.pack("ii", 1, 0)  # close with a reset
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
                    return
                crashed = data.startswith(b"GET /crash")
                connection.sendall(ERROR if crashed else FINE)

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = listener.accept()
                connections.append(0)
                threading.Thread(
                    target=serve, args=(connection, len(connections) - 1), daemon=True
                ).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", connections
    finally:
        listener.close()


def test_the_request_after_a_500_goes_out_on_a_new_connection() -> None:
    with uvicorn_like() as (url, connections):
        with httpx.Client(base_url=url, transport=FreshAfterError(httpx.HTTPTransport)) as client:
            assert client.get("/fine").status_code == 200
            assert client.get("/crash").status_code == 500
            assert client.get("/after").status_code == 200
        assert connections == [2, 1]


def test_plain_httpx_reuses_it_and_meets_the_reset() -> None:
    """What the transport is for: the same exchange over httpx's own transport fails."""
    with uvicorn_like() as (url, _), httpx.Client(base_url=url) as client:
        assert client.get("/crash").status_code == 500
        with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
            client.get("/after")


@pytest.mark.parametrize(
    ("answer", "fresh"),
    [
        (httpx.Response(200), False),
        (httpx.Response(404), False),
        (httpx.Response(500), True),
        (httpx.Response(503), True),
        (httpx.Response(200, headers={"Connection": "close"}), True),
    ],
)
def test_a_new_pool_after_a_server_error_or_a_close(answer: httpx.Response, fresh: bool) -> None:
    made: list[httpx.MockTransport] = []

    def new() -> httpx.MockTransport:
        made.append(httpx.MockTransport(lambda request: answer))
        return made[-1]

    transport = FreshAfterError(new)
    transport.handle_request(httpx.Request("GET", "http://t/"))
    assert len(made) == (2 if fresh else 1)
    transport.close()
