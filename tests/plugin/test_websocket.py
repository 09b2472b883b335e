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
