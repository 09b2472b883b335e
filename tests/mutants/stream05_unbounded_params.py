"""max_events and interval have no upper bound: a client can ask for an endless stream."""

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from reference_app.routers import streams
from tests.mutants._base import reference
from tests.mutants._routes import drop_route

CAUGHT_BY = frozenset({"STREAM-05"})

router = APIRouter(prefix="/stream")


@router.get("/data", responses={200: {"content": {streams.NDJSON: {}}}})
async def stream_data(
    request: Request, max_events: int = Query(100, ge=1), interval: float = Query(0.01, ge=0)
) -> StreamingResponse:
    chunks = streams._tracked(
        streams._ndjson_rows(max_events, interval), request.app.state.diagnostics
    )
    return StreamingResponse(chunks, media_type="application/x-ndjson")


@router.get("/events", responses={200: {"content": {streams.SSE: {}}}})
async def stream_events(
    request: Request, max_events: int = Query(10, ge=1), interval: float = Query(1.0, ge=0)
) -> StreamingResponse:
    chunks = streams._tracked(
        streams._sse_events(max_events, interval), request.app.state.diagnostics
    )
    return StreamingResponse(chunks, media_type="text/event-stream", headers=streams.SSE_HEADERS)


app = reference()
drop_route(app, "/stream/data")
drop_route(app, "/stream/events")
app.include_router(router)
