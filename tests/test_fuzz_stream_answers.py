"""The fuzz reads a streamed answer for a moment and keeps it up to its last whole item."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator

import httpx
import pytest
from pytest_conformance.targets.portal_transport import WAIT_MORE

from conformance.fuzzing import stream_answers
from conformance.fuzzing.stream_answers import WINDOW, cut, read

SSE = "text/event-stream"


class Chunks(httpx.SyncByteStream):
    """A body of ``chunks``; ``open_after``: it then stays open (reads would block)."""

    def __init__(self, chunks: list[bytes], *, open_after: bool = False) -> None:
        self.chunks = chunks
        self.open_after = open_after
        self.handed = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.handed += 1
            yield chunk
        if self.open_after:
            raise AssertionError("read past what the stream had sent")

    def has_more(self, seconds: float) -> bool:
        """``WAIT_MORE``: more comes unless everything was handed and the stream stays open."""
        return self.handed < len(self.chunks) or not self.open_after

    def close(self) -> None:
        self.closed = True


def _answer(media: str, stream: Chunks, *, waits: bool = True, **headers: str) -> httpx.Response:
    extensions = {WAIT_MORE: stream.has_more} if waits else {}
    return httpx.Response(
        200, headers={"content-type": media, **headers}, stream=stream, extensions=extensions
    )


@pytest.mark.parametrize(
    ("media", "body", "kept"),
    [
        (SSE, b'data: 1\n\ndata: 2\n\ndata: {"na', b"data: 1\n\ndata: 2\n\n"),
        (SSE, b"data: 1\r\n\r\ndata: 2\r\n", b"data: 1\r\n\r\n"),
        (SSE, b"data: 1\n", b""),
        ("application/x-ndjson", b'{"a": 1}\n{"a": 2}\n{"a"', b'{"a": 1}\n{"a": 2}\n'),
        ("application/jsonl", b'{"a"', b""),
    ],
)
def test_a_cut_keeps_whole_items_only(media: str, body: bytes, kept: bytes) -> None:
    assert cut(body, media) == kept


def test_a_stream_still_open_is_kept_up_to_its_last_whole_event_and_closed() -> None:
    stream = Chunks([b"data: 1\n\n", b"data: 2\n\nda"], open_after=True)
    answer = _answer(f"{SSE}; charset=utf-8", stream)
    read(answer)
    assert answer.content == b"data: 1\n\ndata: 2\n\n"
    assert stream.closed and answer.is_closed


def test_a_stream_that_ended_is_kept_whole() -> None:
    stream = Chunks([b'{"a": 1}\n', b'{"a": 2}'])  # the last line without its newline
    answer = _answer("application/x-ndjson", stream)
    read(answer)
    assert answer.content == b'{"a": 1}\n{"a": 2}'


def test_other_answers_and_compressed_streams_are_read_in_full() -> None:
    whole = b'{"detail": "x"}' * 3
    answer = _answer("application/json", Chunks([whole[:10], whole[10:]], open_after=False))
    read(answer)
    assert answer.content == whole
    compressed = gzip.compress(b"data: 1\n\nda")
    answer = _answer(SSE, Chunks([compressed], open_after=False), **{"content-encoding": "gzip"})
    read(answer)
    assert answer.content == b"data: 1\n\nda", "decoded whole, never cut"
    answer = _answer(
        SSE, Chunks([b"data: 1\n\nda"], open_after=True), **{"content-encoding": "identity"}
    )
    read(answer)
    assert answer.content == b"data: 1\n\n", "identity is no compression"


class Quiet(Chunks):
    """A stream that sends its chunks, then blocks until the read times out."""

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks
        raise httpx.ReadTimeout("no body chunk within 5 s")


def test_without_a_deadline_wait_a_read_timeout_ends_the_reading() -> None:
    answer = _answer(SSE, Quiet([b"data: 1\n\n"]), waits=False)
    read(answer)
    assert answer.content == b"data: 1\n\n"


def test_a_fast_endless_stream_is_read_within_the_window_and_byte_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Endless(Chunks):
        def __iter__(self) -> Iterator[bytes]:
            while True:
                self.handed += 1
                yield b"data: x\n\n" * 100

    monkeypatch.setattr(stream_answers, "MOST_BYTES", 64 << 10)
    stream = Endless([])
    started = time.monotonic()
    answer = _answer(SSE, stream, waits=False)
    read(answer)
    assert time.monotonic() - started < WINDOW
    assert 64 << 10 <= len(answer.content) < (64 << 10) + 900
    assert answer.content.endswith(b"\n\n") and stream.closed
