"""Waiting for WebSocket messages among others' broadcasts, with a bounded wait.

Broadcast checks share the target with concurrent checks, so a session may receive
messages that are not ours: every wait keeps only what ``mine`` accepts, and fails with
what was expected and what arrived once the deadline passes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import NoReturn

from pytest_conformance import WebSocketClosed, WebSocketSession
from pytest_conformance.report.failure import ConformanceFailure

Filter = Callable[[str], bool]


def ws_mismatch(
    what: str, expected: str, received: list[str], *, hint: str | None = None
) -> NoReturn:
    """Fail the check: what was checked, what was expected, the messages that came."""
    __tracebackhide__ = True
    raise ConformanceFailure(what, expected, messages=list(received), hint=hint)


def collect(
    session: WebSocketSession,
    count: int,
    mine: Filter,
    *,
    timeout: float,
    what: str,
    expected: str,
) -> list[str]:
    """The next ``count`` messages ``mine`` accepts, in arrival order; fails after ``timeout``."""
    __tracebackhide__ = True
    deadline = time.monotonic() + timeout
    kept: list[str] = []
    while len(kept) < count:
        left = deadline - time.monotonic()
        if left <= 0:
            ws_mismatch(what, expected, kept, hint=f"nothing more within {timeout:g} s")
        try:
            message = session.receive_text(timeout=left)
        except TimeoutError:
            continue
        except WebSocketClosed as closed:
            ws_mismatch(what, expected, kept, hint=f"the server closed the session: {closed}")
        if mine(message):
            kept.append(message)
    return kept


def expect_all(
    session: WebSocketSession,
    wanted: Collection[str],
    mine: Filter,
    *,
    timeout: float,
    what: str,
) -> list[str]:
    """Wait until every message in ``wanted`` has arrived (any order); what ``mine`` kept."""
    __tracebackhide__ = True
    missing = set(wanted)
    deadline = time.monotonic() + timeout
    kept: list[str] = []
    while missing:
        left = deadline - time.monotonic()
        if left <= 0:
            ws_mismatch(
                what,
                f"all of {sorted(wanted)!r}",
                kept,
                hint=f"still missing after {timeout:g} s: {sorted(missing)!r}",
            )
        try:
            message = session.receive_text(timeout=left)
        except TimeoutError:
            continue
        except WebSocketClosed as closed:
            ws_mismatch(
                what,
                f"all of {sorted(wanted)!r}",
                kept,
                hint=f"the server closed the session: {closed}",
            )
        if mine(message):
            kept.append(message)
            missing.discard(message)
    return kept
