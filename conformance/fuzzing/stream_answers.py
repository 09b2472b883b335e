"""A streamed answer to a generated case: read for a moment, kept up to its last whole item.

A live feed (server-sent events, JSON Lines) may never end, or pause for minutes between
items; read to its end, one generated case would wait until the read timed out, and the
run would take the target for one that stopped answering. The fuzz judges such an answer
by its start: its status and headers, and the items that came before it went quiet for
``QUIET`` seconds, or within ``WINDOW`` seconds, or within ``MOST_BYTES``. The body is cut
after its last complete item (an SSE event ends with a blank line, a JSON Lines value
with its newline), so an item cut in half is never judged against the item schema.

An answer is a stream by what it says it is (its Content-Type), whatever the document
declares: an undeclared stream must not hang the run either. A compressed stream is read
to its end as any other answer: its bytes cannot be cut before they are decoded.

The waits are bounded as the STREAM checks' are: in-process by the transport's
``WAIT_MORE``, over a socket by ``SocketReader``; elsewhere a read blocks until the read
times out, which ends the reading as a quiet pause (``QUIET_PAUSES``), never as a dead target.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
from pytest_conformance.target_model.streams import JSON_LINES_MEDIA, SSE_MEDIA
from pytest_conformance.targets.bounded import QUIET_PAUSES

from conformance.assertions.envelope import media_type
from conformance.assertions.socket_reader import WaitMore, waited

WINDOW = 1.0  # seconds a streamed answer is read at most
QUIET = 0.25  # seconds without a byte after which a stream still open is left
MOST_BYTES = 256 << 10  # a fast endless stream is judged by this much of it
STREAM_MEDIA = (SSE_MEDIA, *JSON_LINES_MEDIA)
# Where an item ends, by media type: after these bytes (the last of them wins).
_SSE_ENDS = (b"\n\n", b"\r\r", b"\r\n\r\n")
_LINE_ENDS = (b"\n",)


def request_extensions() -> dict[str, object]:
    """Extensions of a generated request: a quiet stream is not a dead target."""
    return {QUIET_PAUSES: True}


def is_stream(answer: httpx.Response) -> bool:
    encoding = answer.headers.get("content-encoding", "identity").strip().lower()
    return media_type(answer) in STREAM_MEDIA and encoding in ("", "identity")


def cut(body: bytes, media: str) -> bytes:
    """``body`` up to the end of its last complete item."""
    ends = _SSE_ENDS if media == SSE_MEDIA else _LINE_ENDS
    last = max((body.rfind(end) + len(end) for end in ends if end in body), default=0)
    return body[:last]


class _Kept(httpx.SyncByteStream):
    """What was kept of a stream, in place of the stream; closing it closes the stream."""

    def __init__(self, body: bytes, inner: httpx.SyncByteStream) -> None:
        self._body = body
        self._inner = inner

    def __iter__(self) -> Iterator[bytes]:
        if self._body:
            yield self._body

    def close(self) -> None:
        self._inner.close()


def _read(chunks: Iterator[bytes], wait_more: WaitMore | None) -> tuple[bytes, bool]:
    """The bytes read within the bounds, and whether the stream ended."""
    body = bytearray()
    started = time.monotonic()
    try:
        while len(body) < MOST_BYTES:
            left = WINDOW - (time.monotonic() - started)
            if left <= 0 or (wait_more is not None and not wait_more(min(QUIET, left))):
                return bytes(body), False
            try:
                body += next(chunks)
            except StopIteration:
                return bytes(body), True
    except httpx.ReadTimeout:  # no deadline wait here: a read outwaited by a quiet stream
        return bytes(body), False
    return bytes(body), False


def read(answer: httpx.Response) -> None:
    """Read ``answer`` (opened with ``stream=True``) and close it: in full, or, when it is a
    stream, within the bounds and up to its last complete item."""
    if not is_stream(answer):
        answer.read()
        return
    inner = answer.stream
    assert isinstance(inner, httpx.SyncByteStream)
    with waited(answer, iter(inner)) as (chunks, wait_more):
        body, ended = _read(chunks, wait_more)
    answer.stream = _Kept(body if ended else cut(body, media_type(answer)), inner)
    answer.read()
