"""The in-process bridge crosses into the app's loop once for a complete answer, and still
hands a stream over as soon as it starts (each crossing costs a task and two thread
switches: about a third of a small request's own CPU)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import httpx
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from pytest_conformance.targets.asgi_transport import StreamingASGITransport
from pytest_conformance.targets.portal_transport import PortalTransport
from starlette.applications import Starlette
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route


async def _whole(request: Any) -> JSONResponse:
    return JSONResponse({"whole": True})


async def _slow(request: Any) -> StreamingResponse:
    async def parts() -> Any:
        yield b"first;"
        await anyio.sleep(0.5)
        yield b"second"

    return StreamingResponse(parts())


APP = Starlette(routes=[Route("/whole", _whole), Route("/slow", _slow)])


class _Counting:
    """A portal that counts its crossings."""

    def __init__(self, portal: BlockingPortal) -> None:
        self.portal = portal
        self.calls = 0

    def call(self, function: Callable[..., Any], *args: Any) -> Any:
        self.calls += 1
        return self.portal.call(function, *args)


async def _hold(ready: list[anyio.abc.TaskGroup], stop: anyio.Event) -> None:
    async with anyio.create_task_group() as task_group:
        ready.append(task_group)
        await stop.wait()
        task_group.cancel_scope.cancel()


@pytest.fixture
def bridge() -> Iterator[tuple[httpx.Client, _Counting]]:
    with start_blocking_portal() as portal:
        ready: list[anyio.abc.TaskGroup] = []
        stop = portal.call(anyio.Event)
        portal.start_task_soon(_hold, ready, stop)
        deadline = time.monotonic() + 5
        while not ready and time.monotonic() < deadline:
            time.sleep(0.01)
        counting = _Counting(portal)
        transport = PortalTransport(counting, StreamingASGITransport(APP, ready[0]))  # type: ignore[arg-type]
        with httpx.Client(transport=transport, base_url="http://testserver") as client:
            yield client, counting
        portal.call(stop.set)


def test_a_complete_answer_takes_one_crossing(bridge: tuple[httpx.Client, _Counting]) -> None:
    client, counting = bridge
    response = client.get("/whole")
    assert response.json() == {"whole": True}
    assert counting.calls == 1


def test_a_stream_is_handed_over_before_its_end(bridge: tuple[httpx.Client, _Counting]) -> None:
    client, _ = bridge
    started = time.monotonic()
    with client.stream("GET", "/slow") as response:
        chunks = response.iter_raw()
        assert next(chunks) == b"first;"
        first = time.monotonic() - started
        assert b"".join(chunks) == b"second"
    assert first < 0.4, f"the first chunk took {first:.2f} s: the bridge waited for the end"
