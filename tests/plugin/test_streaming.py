"""Streaming is honest in-process and over sockets: chunks arrive as sent, closing disconnects."""

from __future__ import annotations

import pytest
from plugin_testing import ALL_MODES, run

pytestmark = pytest.mark.usefixtures("project")

CHECKS = """
import time

from pytest_conformance import check

from target_app import events


@check("STREAM-01", "a chunk reaches the client before the app finishes", ref="Ex 1")
def test_first_chunk_arrives_early(client):
    start = time.monotonic()
    with client.stream("GET", "/slow-stream") as response:
        chunks = response.iter_raw()
        assert next(chunks) == b"first;"
        first = time.monotonic() - start
        rest = b"".join(chunks)
        total = time.monotonic() - start
    assert rest == b"second"
    assert first < 0.5, f"the first chunk took {first:.2f} s: the transport buffers"
    assert total >= 0.7, f"the whole body took {total:.2f} s: the app never slept?"


@check("STREAM-02", "closing the response early tells the app http.disconnect", ref="Ex 1")
def test_early_close_disconnects_the_app(client):
    with client.stream("GET", "/until-disconnect") as response:
        assert next(response.iter_raw()) == b"first;"
    closed = time.monotonic()
    while "http.disconnect" not in events() and time.monotonic() - closed < 2:
        time.sleep(0.01)
    assert "http.disconnect" in events(), "the app never saw the client go"
"""


@pytest.mark.parametrize("mode", ALL_MODES)
def test_streaming_is_incremental_and_disconnects(pytester: pytest.Pytester, mode: str) -> None:
    pytester.makepyfile(test_checks=CHECKS)
    result = run(pytester, *ALL_MODES[mode])
    result.assert_outcomes(passed=2)


WAIT_CHECK = """
from pytest_conformance import check
from pytest_conformance.targets.portal_transport import WAIT_MORE


@check("STREAM-01", "a deadline wait tells a pause from more, losing nothing", ref="Ex 1")
def test_deadline_wait(client):
    with client.stream("GET", "/slow-stream") as response:
        wait_more = response.extensions[WAIT_MORE]
        chunks = response.iter_raw()
        assert next(chunks) == b"first;"
        assert not wait_more(0.1), "the app pauses 0.8 s before its second chunk"
        assert wait_more(5.0), "the second chunk came"
        assert b"".join(chunks) == b"second"
        assert wait_more(0.0), "the end came"
"""


def test_an_in_process_answer_waits_for_more_with_a_deadline(pytester: pytest.Pytester) -> None:
    """What lets STREAM-06 stop reading a slow stream whose delivery it has seen."""
    pytester.makepyfile(test_checks=WAIT_CHECK)
    result = run(pytester, *ALL_MODES["in-process"])
    result.assert_outcomes(passed=1)
