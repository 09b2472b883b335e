"""SocketReader: a deadline wait on a stream read over a real socket, and a prompt stop."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from conformance.assertions.socket_reader import SocketReader
from conformance.assertions.stream_items import json_lines

HEAD = b"HTTP/1.1 200 OK\r\ncontent-type: application/jsonl\r\ntransfer-encoding: chunked\r\n\r\n"


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


@pytest.fixture
def server() -> Iterator[tuple[str, threading.Event]]:
    """Answers one request: a line, then (once told) a second line and the end; a client
    that leaves first sees the connection go."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)
    more = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(HEAD + _chunk(b'{"n": 1}\n'))
            if more.wait(10):
                connection.sendall(_chunk(b'{"n": 2}\n') + b"0\r\n\r\n")
            time.sleep(0.2)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", more
    more.set()
    thread.join(5)
    listener.close()


def _open(client: httpx.Client, url: str) -> httpx.Response:
    return client.send(client.build_request("GET", url + "/feed"), stream=True)


def test_a_pause_is_told_within_its_deadline_and_stop_is_prompt(
    server: tuple[str, threading.Event],
) -> None:
    url, _ = server
    with httpx.Client(timeout=5) as client:
        response = _open(client, url)
        reader = SocketReader.of(response, json_lines(response))
        assert reader is not None
        values = iter(reader)
        assert next(values) == {"n": 1}
        started = time.monotonic()
        assert reader.wait_more(0.2) is False
        assert 0.15 < time.monotonic() - started < 1.0
        started = time.monotonic()
        reader.stop()  # the server still holds the stream open
        assert time.monotonic() - started < 1.0, "stop waited for the blocked read"
        response.close()


def test_what_comes_is_kept_for_the_next_read_and_the_end_ends(
    server: tuple[str, threading.Event],
) -> None:
    url, more = server
    with httpx.Client(timeout=5) as client:
        response = _open(client, url)
        reader = SocketReader.of(response, json_lines(response))
        assert reader is not None
        values = iter(reader)
        assert next(values) == {"n": 1}
        more.set()
        assert reader.wait_more(2.0) is True
        assert list(values) == [{"n": 2}]
        reader.stop()
        response.close()


def test_an_error_in_the_reader_is_raised_in_the_check(
    server: tuple[str, threading.Event],
) -> None:
    url, _ = server
    with httpx.Client(timeout=httpx.Timeout(5, read=0.3)) as client:
        response = _open(client, url)
        reader = SocketReader.of(response, json_lines(response))
        assert reader is not None
        values = iter(reader)
        assert next(values) == {"n": 1}
        with pytest.raises(httpx.ReadTimeout):
            next(values)
        reader.stop()
        response.close()
