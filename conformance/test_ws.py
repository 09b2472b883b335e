"""WS — WebSockets (SPEC.md, tutorial Examples 36 and 37).

Chat checks use random large client ids and a random marker in every message, and keep
only messages naming their own ids: concurrent checks on the same target broadcast too.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from pytest_conformance import Profile, Target, WebSocketRefused, WebSocketSession, check
from pytest_conformance.targets.websocket import network_session

from conformance.assertions.describe import mismatch
from conformance.assertions.websocket import collect, expect_all, ws_mismatch

BURST = 20
LISTENERS = 10  # WS-05: N >= 10 clients besides the sender (WS-02 covers the sender's copy)


def _client_ids(count: int) -> list[int]:
    """Large random ids, distinct from each other and (almost surely) from other checks'."""
    ids: set[int] = set()
    while len(ids) < count:
        ids.add(10**12 + secrets.randbelow(9 * 10**12))
    return sorted(ids)


def _marker() -> str:
    return f"conformance-{secrets.token_hex(6)}"


def _mine(ids: list[int], marker: str) -> re.Pattern[str]:
    names = "|".join(str(client_id) for client_id in ids)
    return re.compile(rf"{re.escape(marker)}|\[System\] Client ({names}) left the chat")


def _said(client_id: int, text: str) -> str:
    return f"[Client {client_id}] {text}"


def _left(client_id: int) -> str:
    return f"[System] Client {client_id} left the chat"


@contextlib.contextmanager
def _chat(
    target: Target, profile: Profile, client_ids: list[int]
) -> Iterator[list[WebSocketSession]]:
    """Every client connected (in the order given) before the body runs, and closed together
    after it: an app that never ends a session costs one close timeout, not one per client."""
    opened: list[contextlib.AbstractContextManager[WebSocketSession]] = []
    try:
        sessions = []
        for client_id in client_ids:
            context = target.websocket(profile.paths.ws_chat.format(client_id=client_id))
            sessions.append(context.__enter__())
            opened.append(context)
        yield sessions
    finally:
        _close_together(opened)


def _close_together(contexts: list[contextlib.AbstractContextManager[WebSocketSession]]) -> None:
    """Each session's close (bounded by the stream timeout) in a thread of its own."""
    if not contexts:
        return
    with ThreadPoolExecutor(max_workers=len(contexts)) as pool:
        closing = [pool.submit(context.__exit__, None, None, None) for context in contexts]
    for closed in closing:
        closed.result()  # the first failure to close, as a sequential close would raise it


@check("WS-01", "/ws answers every text message with 'Echo: m'", ref="Ex 36", needs=("websockets",))
def test_echo(target: Target, conformance_profile: Profile) -> None:
    texts = [f"{_marker()} {index}" for index in range(3)]
    with target.websocket(conformance_profile.paths.ws_echo) as session:
        for text in texts:
            session.send_text(text)
        got = collect(
            session,
            len(texts),
            lambda _: True,
            timeout=conformance_profile.timeouts.stream,
            what="/ws did not echo every message (WS-01)",
            expected=repr([f"Echo: {text}" for text in texts]),
        )
    if got != [f"Echo: {text}" for text in texts]:
        ws_mismatch(
            "/ws did not echo each message as 'Echo: m', in order (WS-01)",
            repr([f"Echo: {text}" for text in texts]),
            got,
        )


@check(
    "WS-02",
    "a chat message reaches the sender as [You] and everyone as [Client k]",
    ref="Ex 37",
    needs=("websockets",),
)
def test_broadcast(target: Target, conformance_profile: Profile) -> None:
    ids, marker = _client_ids(3), _marker()
    mine = _mine(ids, marker).search
    timeout = conformance_profile.timeouts.stream
    text = f"{marker} hello"
    with _chat(target, conformance_profile, ids) as sessions:
        sessions[0].send_text(text)
        expect_all(
            sessions[0],
            {f"[You] {text}", _said(ids[0], text)},
            lambda m: bool(mine(m)),
            timeout=timeout,
            what="the sender got back neither or only one of '[You] m' and '[Client k] m' (WS-02)",
        )
        for client_id, session in zip(ids[1:], sessions[1:], strict=True):
            expect_all(
                session,
                {_said(ids[0], text)},
                lambda m: bool(mine(m)),
                timeout=timeout,
                what=f"client {client_id} did not get the broadcast (WS-02)",
            )


@check(
    "WS-03",
    "a client leaving is announced to the others, and broadcasts go on",
    ref="Ex 37",
    needs=("websockets",),
)
@pytest.mark.parametrize("how", ["close", "vanish"])
def test_leave_notice(how: str, target: Target, conformance_profile: Profile) -> None:
    """``vanish``: the client disappears without a close frame (a dead connection)."""
    leaver, *stayers = ids = _client_ids(3)
    marker = _marker()
    mine = _mine(ids, marker).search
    timeout = conformance_profile.timeouts.stream
    # The leaver connects first: a broadcast loop that stops at a dead connection fails here.
    with _chat(target, conformance_profile, ids) as (gone, *sessions):
        if how == "close":
            gone.close()
        else:
            gone.abort()
        first, second = f"{marker} after", f"{marker} still"
        sessions[0].send_text(first)
        expect_all(
            sessions[0],
            {_left(leaver)},
            lambda m: bool(mine(m)),
            timeout=timeout,
            what=f"client {stayers[0]} was not told that client {leaver} left ({how}) (WS-03)",
        )
        expect_all(
            sessions[1],
            {_left(leaver), _said(stayers[0], first)},
            lambda m: bool(mine(m)),
            timeout=timeout,
            what=f"client {stayers[1]} was not told that client "
            f"{leaver} left ({how}), or the next broadcast did not reach it (WS-03)",
        )
        sessions[0].send_text(second)
        expect_all(
            sessions[1],
            {_said(stayers[0], second)},
            lambda m: bool(mine(m)),
            timeout=timeout,
            what="broadcasts stopped after a client left (WS-03)",
        )


@check(
    "WS-04",
    "a non-integer client id is refused at the handshake",
    ref="Ex 37",
    needs=("websockets",),
)
@pytest.mark.parametrize("client_id", ["not-a-number", "1.5"])
def test_non_integer_id_refused(
    client_id: str, target: Target, conformance_profile: Profile
) -> None:
    path = conformance_profile.paths.ws_chat.format(client_id=client_id)
    try:
        with target.websocket(path):
            pass
    except WebSocketRefused as refused:
        if refused.status_code == 403 or refused.close_code == 1008:
            return
        ws_mismatch(
            f"{path} was refused, but not as SPEC says (WS-04)",
            "HTTP 403, or close code 1008 before accept",
            [str(refused)],
        )
    ws_mismatch(
        f"{path} was accepted (WS-04)",
        "HTTP 403, or close code 1008 before accept",
        ["<the handshake succeeded>"],
    )


@check(
    "WS-05",
    f"a burst from one sender reaches all {LISTENERS} clients in order",
    ref="Ex 37",
    needs=("websockets",),
)
def test_burst_order(target: Target, conformance_profile: Profile) -> None:
    ids, marker = _client_ids(LISTENERS + 1), _marker()
    sender = ids[0]
    said = re.compile(rf"^\[Client {sender}\] {re.escape(marker)} ").match
    expected = [_said(sender, f"{marker} {index}") for index in range(BURST)]
    with _chat(target, conformance_profile, ids) as sessions:
        for index in range(BURST):
            sessions[0].send_text(f"{marker} {index}")
        for client_id, session in zip(ids[1:], sessions[1:], strict=True):
            got = collect(
                session,
                BURST,
                lambda m: bool(said(m)),
                timeout=conformance_profile.timeouts.stream,
                what=f"client {client_id} did not get the whole burst (WS-05)",
                expected=f"{BURST} broadcasts from client {sender}",
            )
            if got != expected:
                ws_mismatch(
                    f"client {client_id} got the burst out of order (WS-05)", repr(expected), got
                )


@check(
    "WS-06",
    "GET /ws-client serves an HTML page that connects to /ws",
    ref="Ex 36",
    needs=("websockets",),
)
def test_client_page(target: Target, conformance_profile: Profile) -> None:
    paths = conformance_profile.paths
    with target.client() as client:
        response = client.get(paths.ws_client_page)
    expected = f"200, text/html, a page opening new WebSocket(…{paths.ws_echo})"
    if response.status_code != 200 or not response.headers.get("content-type", "").startswith(
        "text/html"
    ):
        mismatch(f"GET {paths.ws_client_page} is not an HTML page (WS-06)", expected, response)
    opens = re.search(r"new\s+WebSocket\s*\(", response.text)
    if opens is None or not re.search(rf"{re.escape(paths.ws_echo)}[\"'`]", response.text):
        mismatch(
            f"the page at {paths.ws_client_page} does not connect to {paths.ws_echo} (WS-06)",
            expected,
            response,
        )


@check(
    "WS-07",
    "a broadcast reaches the clients of every server process",
    ref="Ex 37; extension",
    needs=("websockets",),
)
def test_broadcast_across_processes(target: Target, conformance_profile: Profile) -> None:
    """One client on the target and one on each peer process: each hears the others."""
    peers = conformance_profile.websockets.peer_urls
    if not peers:
        pytest.skip("the profile names no other process of the target ([websockets] peer_urls)")
    ids, marker = _client_ids(1 + len(peers)), _marker()
    mine = _mine(ids, marker).search
    chat, timeout = conformance_profile.paths.ws_chat, conformance_profile.timeouts.stream
    with contextlib.ExitStack() as stack:
        local = stack.enter_context(target.websocket(chat.format(client_id=ids[0])))
        remotes = [
            stack.enter_context(
                network_session(
                    url.rstrip("/"), chat.format(client_id=client_id), headers={}, timeout=timeout
                )
            )
            for url, client_id in zip(peers, ids[1:], strict=True)
        ]
        sent = f"{marker} from the target"
        local.send_text(sent)
        for url, remote in zip(peers, remotes, strict=True):
            expect_all(
                remote,
                {_said(ids[0], sent)},
                lambda m: bool(mine(m)),
                timeout=timeout,
                what=f"a client of {url} did not hear the target's broadcast (WS-07)",
            )
        answer = f"{marker} from a peer"
        remotes[0].send_text(answer)
        expect_all(
            local,
            {_said(ids[1], answer)},
            lambda m: bool(mine(m)),
            timeout=timeout,
            what=f"the target's client did not hear a broadcast from {peers[0]} (WS-07)",
        )
