"""Root and request-context endpoints (VER-03, MW-03)."""

from __future__ import annotations

import anyio
from fastapi import APIRouter
from pydantic import BaseModel

from reference_app.request_context import get_request_id

router = APIRouter()


class RequestContext(BaseModel):
    item_id: int
    request_id: str


@router.get("/")
async def api_info() -> dict[str, object]:
    return {"versions": ["v1", "v2"], "latest": "v2", "v1_docs": "/v1/docs", "v2_docs": "/v2/docs"}


@router.get("/request-context/{item_id}", response_model=RequestContext)
async def request_context(item_id: int) -> RequestContext:
    # Yield to the loop first: if the id leaked between requests, it would show here.
    await anyio.sleep(0)
    return RequestContext(item_id=item_id, request_id=get_request_id() or "")
