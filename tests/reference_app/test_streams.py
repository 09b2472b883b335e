"""STREAM-01..05 in the reference app: the producer stops with its client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
import pytest
from refapp_support import app_and_client, client_for

pytestmark = pytest.mark.anyio


def _scope(path: str, query: bytes) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


@pytest.mark.parametrize("path", ["/stream/data", "/stream/events"])
async def test_disconnect_cancels_the_producer(tmp_path: Path, path: str) -> None:
    async with app_and_client(tmp_path) as (app, _):
        diagnostics = app.state.diagnostics
        first_chunk, gone = anyio.Event(), anyio.Event()
        requested = False

        async def receive() -> dict[str, Any]:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                first_chunk.set()

        with anyio.fail_after(5):  # the stream itself would take 100 s
            async with anyio.create_task_group() as group:
                group.start_soon(app, _scope(path, b"max_events=100&interval=1"), receive, send)
                await first_chunk.wait()
                assert diagnostics.active_streams == 1
                gone.set()
        assert diagnostics.active_streams == 0


async def test_ndjson_rows(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get("/stream/data", params={"max_events": 5, "interval": 0})
    assert response.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert [(row["id"], row["value"]) for row in rows] == [(i, f"item-{i}") for i in range(5)]


async def test_sse_framing_and_headers(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get("/stream/events", params={"max_events": 2, "interval": 0})
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    events = response.text.split("\n\n")
    assert events[-1] == "" and len(events) == 4
    assert [event.splitlines()[0] for event in events[:-1]] == ["id: 0", "id: 1", "id: 2"]
    payloads = [json.loads(event.splitlines()[1].removeprefix("data: ")) for event in events[:-1]]
    assert [p.get("count") for p in payloads[:2]] == [0, 1] and payloads[2] == {"done": True}


@pytest.mark.parametrize(
    "query", [{"max_events": 101}, {"max_events": 0}, {"interval": 5.01}, {"interval": -1}]
)
async def test_parameters_are_bounded(tmp_path: Path, query: dict[str, float]) -> None:
    async with client_for(tmp_path) as client:
        for path in ("/stream/data", "/stream/events"):
            assert (await client.get(path, params=query)).status_code == 422
