"""What the plugin tests write into their pytester directories, and how they run it."""

from __future__ import annotations

import pytest

from tests.support import UNUSED_PLUGINS

# Every setting twin the plugin reads from the environment: an outer run (CI, a developer's
# shell) must not leak its target into the pytester runs.
CONFORMANCE_ENV = (
    "CONFORMANCE_TARGET_APP",
    "CONFORMANCE_TARGET_URL",
    "CONFORMANCE_TARGET_SERVE",
    "CONFORMANCE_TARGET_SERVE_IN",
    "CONFORMANCE_PROFILE",
    "CONFORMANCE_STRICT",
    "CONFORMANCE_FUZZ_EXAMPLES",
)

# A Starlette app with one route per behaviour the plugin must carry faithfully. It writes
# what it observes (lifespan, disconnects) next to itself, so checks and tests can read it
# in every target mode (in-process, served in a thread, served in a subprocess).
TARGET_APP = '''
import contextlib
import pathlib

import anyio
from starlette.applications import Starlette
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocketDisconnect

HERE = pathlib.Path(__file__).parent
EVENTS = HERE / "events.log"


def record(event):
    with EVENTS.open("a", encoding="utf-8") as log:
        log.write(event + "\\n")


def events():
    """What the app recorded so far, in order (checks import this)."""
    return EVENTS.read_text().split() if EVENTS.exists() else []


@contextlib.asynccontextmanager
async def lifespan(app):
    record("startup")
    yield
    record("shutdown")


async def ping(request):
    return JSONResponse({"ok": True})


async def whoami(request):
    return JSONResponse({"host": request.client.host})


async def slow_stream(request):
    async def chunks():
        yield b"first;"
        await anyio.sleep(0.8)
        yield b"second"

    return StreamingResponse(chunks(), media_type="text/plain")


async def sleepy(request):
    await anyio.sleep(30)
    return JSONResponse({"woke": True})


class UntilDisconnect:
    """Raw ASGI: one chunk, then wait for the client to go away and record what came."""

    async def __call__(self, scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"first;", "more_body": True})
        with anyio.fail_after(10):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    record("http.disconnect")
                    return


async def echo(websocket):
    await websocket.accept()
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            await websocket.send_text(await websocket.receive_text())


async def refuse(websocket):
    await websocket.close(code=1008)


app = Starlette(
    lifespan=lifespan,
    routes=[
        Route("/ping", ping),
        Route("/whoami", whoami),
        Route("/slow-stream", slow_stream),
        Route("/sleep", sleepy),
        Route("/until-disconnect", UntilDisconnect()),
        WebSocketRoute("/echo", echo),
        WebSocketRoute("/refuse", refuse),
    ],
)
'''

TRIVIAL_CHECK = """
from pytest_conformance import check


@check("ERR-01", "the target answers", ref="Ex 1")
def test_ping(client):
    assert client.get("/ping").json() == {"ok": True}
"""

SERVE_MODES = {
    "thread": ["--target-serve=target_app:app"],
    "subprocess": ["--target-serve=target_app:app", "--target-serve-in=subprocess"],
}

ALL_MODES = {"in-process": ["--target-app=target_app:app"], **SERVE_MODES}

# Generous for a run that takes about a second: only a hang should ever reach it.
RUN_TIMEOUT = 60


# Tests of other behaviour leave out the run-wide findings items (OAS-06, LIFE-02, ERR-07
# over every answer): their outcomes would blur what the test counts. A later ``-m`` wins.
WITHOUT_FINDINGS = ("-m", "not conformance_findings")


def run(pytester: pytest.Pytester, *args: str, findings: bool = False) -> pytest.RunResult:
    """pytest in a subprocess: anything that starts threads, servers or event loops."""
    chosen = () if findings else WITHOUT_FINDINGS
    return pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", *UNUSED_PLUGINS, *chosen, *args, timeout=RUN_TIMEOUT
    )


def run_inline(pytester: pytest.Pytester, *args: str, findings: bool = False) -> pytest.RunResult:
    """pytest in this process: only for runs that start no target (usage errors, selection)."""
    chosen = () if findings else WITHOUT_FINDINGS
    return pytester.runpytest_inprocess("-p", "no:cacheprovider", *chosen, *args)


def assert_usage_error(result: pytest.RunResult, *fragments: str, one_line: bool = True) -> str:
    """Exit code 4, an ``ERROR:`` message naming every fragment, no traceback; the message."""
    output = "\n".join(result.outlines + result.errlines)
    assert result.ret == pytest.ExitCode.USAGE_ERROR, output
    assert "Traceback" not in output, output
    starts = [i for i, line in enumerate(result.errlines) if line.startswith("ERROR:")]
    assert len(starts) == 1, output
    message = "\n".join(result.errlines[starts[0] :]).strip()
    if one_line:
        assert "\n" not in message, output
    for fragment in fragments:
        assert fragment in message, output
    return message
