"""SocketReader: a deadline wait on a stream read over a real socket, and a prompt stop."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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
        # the client may have gone (a reader stopped by shutting its socket down)
        with connection, contextlib.suppress(OSError):
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


@dataclass
class Feed:
    reader: SocketReader
    values: Iterator[Any]  # the feed's lines, the first one already taken
    more: threading.Event  # tells the server to send the second line and end


READ_TIMEOUT = 1.0


@pytest.fixture
def feed(server: tuple[str, threading.Event]) -> Iterator[Feed]:
    """The server's feed opened and read by a SocketReader, its first line already taken."""
    url, more = server
    with httpx.Client(timeout=httpx.Timeout(5, read=READ_TIMEOUT)) as client:
        request = client.build_request("GET", url + "/feed")
        with contextlib.closing(client.send(request, stream=True)) as response:
            reader = SocketReader.of(response, json_lines(response))
            assert reader is not None, "a response over a socket has one"
            values = iter(reader)
            assert next(values) == {"n": 1}
            yield Feed(reader, values, more)
            reader.stop()


def test_a_pause_is_told_within_its_deadline_and_stop_is_prompt(feed: Feed) -> None:
    started = time.monotonic()
    assert feed.reader.wait_more(0.2) is False
    assert 0.15 < time.monotonic() - started < READ_TIMEOUT
    started = time.monotonic()
    feed.reader.stop()  # the server still holds the stream open
    assert time.monotonic() - started < READ_TIMEOUT, "stop waited for the blocked read"


def test_what_comes_is_kept_for_the_next_read_and_the_end_ends(feed: Feed) -> None:
    feed.more.set()
    assert feed.reader.wait_more(2.0) is True
    assert list(feed.values) == [{"n": 2}]


def test_an_error_in_the_reader_is_raised_in_the_check(feed: Feed) -> None:
    with pytest.raises(httpx.ReadTimeout):
        next(feed.values)  # the server sends nothing more: the read times out
