"""One WebSocket session interface, in-process and over the network."""

from __future__ import annotations

import pytest
from plugin_testing import ALL_MODES, run

pytestmark = pytest.mark.usefixtures("project")

CHECKS = """
import time

import pytest

from pytest_conformance import WebSocketRefused, check


@check("WS-01", "echo", ref="Ex 1")
def test_echo(target):
    with target.websocket("/echo") as session:
        session.send_text("hello")
        assert session.receive_text() == "hello"
        session.close()


@check("WS-02", "silence times out promptly, and the session survives it", ref="Ex 1")
def test_silence(target):
    with target.websocket("/echo") as session:
        start = time.monotonic()
        with pytest.raises(TimeoutError):
            session.receive_text(timeout=0.2)
        waited = time.monotonic() - start
        assert 0.15 <= waited < 1.0, waited
        session.send_text("still there")
        assert session.receive_text(timeout=2) == "still there"


@check("WS-03", "a handshake closed before accept is refused", ref="Ex 1")
def test_refused(target):
    with pytest.raises(WebSocketRefused) as refused:
        with target.websocket("/refuse"):
            pass
    if target.mode == "app":  # in-process the close code itself arrives
        assert refused.value.close_code == 1008
    else:  # uvicorn answers a close before accept with HTTP 403
        assert refused.value.status_code == 403
"""


@pytest.mark.parametrize("mode", ALL_MODES)
def test_websocket_session(pytester: pytest.Pytester, mode: str) -> None:
    pytester.makepyfile(test_checks=CHECKS)
    result = run(pytester, *ALL_MODES[mode])
    result.assert_outcomes(passed=3)


# A raw ASGI app that ticks to its client and records how it learns the client is gone.
VANISH_APP = """
import pathlib

import anyio

LOG = pathlib.Path(__file__).parent / "vanish.log"


def outcomes():
    return LOG.read_text().split() if LOG.exists() else []


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] == "http":  # the readiness probe of --target-serve
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})

    def record(what):
        with LOG.open("a") as log:
            log.write(what + "\\n")

    async with anyio.create_task_group() as group:
        async def listen():
            message = await receive()
            if message["type"] == "websocket.disconnect":
                record(f"disconnect:{message.get('code')}")
                group.cancel_scope.cancel()

        group.start_soon(listen)
        with anyio.fail_after(10):
            while True:
                try:
                    await send({"type": "websocket.send", "text": "tick"})
                except Exception:
                    record("send-failed")
                    group.cancel_scope.cancel()
                    return
                await anyio.sleep(0.05)
"""

VANISH_CHECKS = """
import time

import pytest
from pytest_conformance import check

import vanish_app


def first_outcome():
    deadline = time.monotonic() + 5
    while not vanish_app.outcomes() and time.monotonic() < deadline:
        time.sleep(0.02)
    return vanish_app.outcomes()[:1]


@check("WS-03", "abort: the app learns the client is gone, without a close frame", ref="Ex 37")
def test_abort(target):
    with target.websocket("/") as session:
        assert session.receive_text() == "tick"
        session.abort()
        # No close frame: a failed send, or the server's "connection lost" code (1005/1006).
        assert first_outcome() in (["send-failed"], ["disconnect:1005"], ["disconnect:1006"])


@check("WS-01", "close: the app gets the close frame's code", ref="Ex 37")
def test_close(target):
    with target.websocket("/") as session:
        assert session.receive_text() == "tick"
        session.close(1000)
        assert first_outcome() == ["disconnect:1000"]
"""


@pytest.mark.parametrize("mode", ["in-process", "thread"])
@pytest.mark.parametrize("ending", ["abort", "close"])
def test_websocket_abort(pytester: pytest.Pytester, mode: str, ending: str) -> None:
    pytester.makepyfile(vanish_app=VANISH_APP, test_checks=VANISH_CHECKS)
    target = {
        "in-process": "--target-app=vanish_app:app",
        "thread": "--target-serve=vanish_app:app",
    }
    result = run(pytester, target[mode], "-k", f"test_{ending}")
    result.assert_outcomes(passed=1)


# A raw ASGI app that only listens (as a chat's receive loop does) and records how its
# receive() ends; on /silent it accepts and then neither reads, nor sends, nor closes.
LISTEN_APP = """
import pathlib

import anyio

LOG = pathlib.Path(__file__).parent / "listen.log"


def outcomes():
    return LOG.read_text().split() if LOG.exists() else []


async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] == "http":  # the readiness probe of --target-serve
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": "welcome"})
    if scope["path"] == "/silent":
        await anyio.sleep_forever()
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            with LOG.open("a") as log:
                log.write(f"disconnect:{message.get('code')}\\n")
            return
"""

LISTEN_CHECKS = """
import time

from pytest_conformance import check

import listen_app


@check("WS-03", "abort: a listening app's receive() ends with a disconnect", ref="Ex 37")
def test_abort_reaches_receive(target):
    with target.websocket("/") as session:
        assert session.receive_text() == "welcome"
        session.abort()
        deadline = time.monotonic() + 5
        while not listen_app.outcomes() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert listen_app.outcomes()[:1] in (["disconnect:1005"], ["disconnect:1006"])


@check("WS-01", "a session the app never closes is abandoned in time", ref="Ex 37")
def test_silent_session_is_abandoned(target):
    start = time.monotonic()
    with target.websocket("/silent") as session:
        assert session.receive_text() == "welcome"
    assert time.monotonic() - start < 5, "closing waited for an app that never ends"
"""


@pytest.mark.parametrize("mode", ["in-process", "thread"])
def test_a_vanished_client_disconnects_the_apps_receive(
    pytester: pytest.Pytester, mode: str
) -> None:
    """WS-03 in-process (issue 16): the disconnect a real socket delivers reaches receive()."""
    pytester.makepyfile(listen_app=LISTEN_APP, test_checks=LISTEN_CHECKS)
    pytester.path.joinpath("profile.toml").write_text("[timeouts]\nstream = 1.0\n")
    target = {
        "in-process": "--target-app=listen_app:app",
        "thread": "--target-serve=listen_app:app",
    }
    result = run(pytester, target[mode], f"--profile={pytester.path / 'profile.toml'}")
    result.assert_outcomes(passed=2)
