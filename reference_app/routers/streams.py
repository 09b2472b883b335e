"""NDJSON and Server-Sent Events streams (STREAM-01, -02, -05)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import anyio
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from reference_app.database import Diagnostics

NDJSON = "application/x-ndjson"
SSE = "text/event-stream"

router = APIRouter(prefix="/stream", tags=["stream"])

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _now() -> str:
    return datetime.now(UTC).isoformat()


async def _tracked(chunks: AsyncIterator[str], diagnostics: Diagnostics) -> AsyncIterator[str]:
    """Count the stream as active until it ends or the client goes away (STREAM-04)."""
    diagnostics.active_streams += 1
    try:
        async for chunk in chunks:
            yield chunk
    finally:
        diagnostics.active_streams -= 1


async def _ndjson_rows(count: int, interval: float) -> AsyncIterator[str]:
    for index in range(count):
        row = {"id": index, "value": f"item-{index}", "timestamp": _now()}
        yield json.dumps(row) + "\n"
        await anyio.sleep(interval)


async def _sse_events(count: int, interval: float) -> AsyncIterator[str]:
    """``data: <json>`` events, each with an ``id:`` so a client can resume (Last-Event-ID)."""
    for index in range(count):
        yield f"id: {index}\ndata: {json.dumps({'count': index, 'time': _now()})}\n\n"
        await anyio.sleep(interval)
    yield f"id: {count}\ndata: {json.dumps({'done': True})}\n\n"


@router.get(
    "/data",
    response_class=StreamingResponse,
    responses={200: {"description": "One JSON object per line.", "content": {NDJSON: {}}}},
)
async def stream_data(
    request: Request,
    max_events: int = Query(100, ge=1, le=100, description="Lines to send."),
    interval: float = Query(0.01, ge=0, le=5, description="Seconds between lines."),
) -> StreamingResponse:
    chunks = _tracked(_ndjson_rows(max_events, interval), request.app.state.diagnostics)
    return StreamingResponse(chunks, media_type=NDJSON)


@router.get(
    "/events",
    response_class=StreamingResponse,
    responses={200: {"description": "Server-sent events.", "content": {SSE: {}}}},
)
async def stream_events(
    request: Request,
    max_events: int = Query(10, ge=1, le=100, description="Events before the final one."),
    interval: float = Query(1.0, ge=0, le=5, description="Seconds between events."),
) -> StreamingResponse:
    chunks = _tracked(_sse_events(max_events, interval), request.app.state.diagnostics)
    return StreamingResponse(chunks, media_type=SSE, headers=SSE_HEADERS)
