"""Open-resource counters for teardown checks, admins only (DI-02, STREAM-04)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from reference_app.auth import require_role
from reference_app.database import Diagnostics
from reference_app.schemas import error_responses

router = APIRouter(tags=["diagnostics"])


class DiagnosticsOut(BaseModel):
    open_db_sessions: int
    open_http_sessions: int
    active_streams: int


@router.get(
    "/_diagnostics",
    response_model=DiagnosticsOut,
    dependencies=[Depends(require_role("admin"))],
    responses=error_responses(401, 403),
)
async def diagnostics(request: Request) -> DiagnosticsOut:
    counters: Diagnostics = request.app.state.diagnostics
    return DiagnosticsOut(**asdict(counters))
