"""A deadline wait for a stream read over a socket: its values read in a thread of their own.

In-process answers offer ``wait_more`` (``WAIT_MORE``); over a socket a read blocks until
the next bytes come, and a ``select()`` cannot tell whether h11 or httpx's decoders
already hold the next item (or the end). So a reader thread iterates the values and hands
them over a queue, which the check can wait on with a deadline. When the check is done
with a stream still open, ``stop`` shuts the socket down (a close alone would wait for the
thread, blocked in ``recv()``), which ends the thread's read at once.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
from pytest_conformance.targets.portal_transport import WAIT_MORE

_END = object()
JOIN = 2.0  # seconds for the reader to notice its socket was shut down
AHEAD = 2  # values read ahead of the check at most: a fast endless stream is not read on
POLL = 0.05  # seconds between looks at ``stop`` while the check has not taken a value


class SocketReader:
    """``values`` read in a thread; iterate it, and ``wait_more`` between two reads."""

    def __init__(self, values: Iterator[Any], sock: socket.socket, wait: float | None) -> None:
        self._values = values
        self._socket = sock
        self._wait = wait  # the longest a read may take (the read timeout, and a margin)
        self._queue: queue.Queue[tuple[object, Any]] = queue.Queue(AHEAD)
        self._pending: tuple[object, Any] | None = None
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._read, name="stream-reader", daemon=True)
        self._thread.start()

    @classmethod
    def of(cls, response: httpx.Response, values: Iterator[Any]) -> SocketReader | None:
        """A reader for ``response`` when it came over a socket; None otherwise."""
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not isinstance(sock, socket.socket):
            return None
        read = response.request.extensions.get("timeout", {}).get("read")
        return cls(values, sock, None if read is None else float(read) + JOIN)

    def _read(self) -> None:
        try:
            for value in self._values:
                if not self._handed(("value", value)):
                    return
            self._handed(("end", _END))
        except BaseException as error:  # handed to the check's thread, raised there
            self._handed(("error", error))

    def _handed(self, entry: tuple[object, Any]) -> bool:
        """Queued for the check; False once it has stopped taking values."""
        while not self._stopped.is_set():
            try:
                self._queue.put(entry, timeout=POLL)
                return True
            except queue.Full:
                continue
        return False

    def _next(self, timeout: float | None) -> tuple[object, Any]:
        if self._pending is None:
            self._pending = self._queue.get(timeout=timeout)
        return self._pending

    def __iter__(self) -> Iterator[Any]:
        while True:
            try:
                kind, value = self._next(self._wait)
            except queue.Empty:  # the read's own timeout should have ended it first
                raise httpx.ReadTimeout(f"no item within {self._wait:g} s") from None
            self._pending = None
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value

    def wait_more(self, seconds: float) -> bool:
        """Whether a value, the end or an error comes within ``seconds`` (kept for the
        next read)."""
        try:
            self._next(seconds)
        except queue.Empty:
            return False
        return True

    def stop(self) -> None:
        """End the reader: at once when the stream is still open."""
        self._stopped.set()
        if self._thread.is_alive():
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
        self._thread.join(JOIN)


WaitMore = Callable[[float], bool]  # whether more, or the end, comes within the seconds


@contextlib.contextmanager
def waited(
    response: httpx.Response, values: Iterator[Any]
) -> Iterator[tuple[Iterator[Any], WaitMore | None]]:
    """``values`` (read from ``response``) and a deadline wait between two reads: the
    in-process transport's ``WAIT_MORE``, or a ``SocketReader``'s over a socket (stopped on
    leaving); no wait where there is neither (a read then blocks until its timeout)."""
    wait_more = response.extensions.get(WAIT_MORE)
    if callable(wait_more):
        yield values, wait_more
        return
    reader = SocketReader.of(response, values)
    if reader is None:
        yield values, None
        return
    try:
        yield iter(reader), reader.wait_more
    finally:
        reader.stop()
