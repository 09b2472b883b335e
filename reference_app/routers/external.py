"""A simulated external HTTP session, opened and closed per request (DATA-07, DI-02)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from reference_app.database import Diagnostics

router = APIRouter(tags=["external"])

EXTERNAL_USERS_URL = "https://api.external-service.com/users"


@dataclass
class ExternalSession:
    """Stands in for an HTTP client session; no network is touched."""

    closed: bool = False

    async def get(self, url: str) -> str:
        if self.closed:
            raise RuntimeError("the external session is closed")
        return "response"


async def get_external_session(request: Request) -> AsyncIterator[ExternalSession]:
    """Yield-dependency: the session is closed (and uncounted) however the request ends."""
    diagnostics: Diagnostics = request.app.state.diagnostics
    session = ExternalSession()
    diagnostics.open_http_sessions += 1
    try:
        yield session
    finally:
        session.closed = True
        diagnostics.open_http_sessions -= 1


ExternalSessionDep = Annotated[ExternalSession, Depends(get_external_session)]


class ExternalData(BaseModel):
    url: str
    data: str


@router.get("/external-data", response_model=ExternalData)
async def external_data(session: ExternalSessionDep) -> ExternalData:
    return ExternalData(url=EXTERNAL_USERS_URL, data=await session.get(EXTERNAL_USERS_URL))
