"""Health endpoints (LIFE-04): liveness never touches dependencies, readiness probes them.

Readiness opens a fresh database connection for every probe instead of borrowing a
pooled one: a pooled SQLite connection keeps working on a file that has been deleted,
so only a new connection notices that the database is really gone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio
from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from reference_app.database import sqlite_file, sqlite_in_memory
from reference_app.models import User
from reference_app.routers.external import EXTERNAL_USERS_URL, ExternalSession
from reference_app.routers.lifecycle import Lifecycle, lifecycle_of

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


class Liveness(BaseModel):
    status: str
    uptime: float


class Readiness(BaseModel):
    status: str
    uptime_seconds: float
    checks: dict[str, bool]
    failed: list[str] = Field(default_factory=list, description="only when degraded")


PROBE_TIMEOUT = 2.0


async def _database_ready(request: Request) -> bool:
    engine: AsyncEngine | None = getattr(request.app.state, "engine", None)
    if engine is None:
        return False
    url = engine.url
    in_memory = sqlite_in_memory(url)
    database_file = sqlite_file(url)
    if database_file is not None and not database_file.is_file():
        # Gone (or never made): not ready. Connecting would create an empty file, or fail,
        # and a failed aiosqlite connect stops its driver thread without waiting for it.
        return False
    probe = (
        engine
        if in_memory
        else create_async_engine(
            make_url(url), poolclass=NullPool, connect_args=_driver_timeouts(url.drivername)
        )
    )
    # Shielded from the probe's deadline: a probe cancelled halfway leaves its connection
    # open and its driver thread answering a loop that may be gone. The driver's own
    # timeouts bound it instead.
    with anyio.CancelScope(shield=True):
        try:
            async with probe.connect() as connection:
                # A table of ours, not just "SELECT 1": a fresh empty file is no database.
                await connection.execute(select(User.id).limit(1))
        finally:
            if probe is not engine:
                await probe.dispose()
    return True


def _driver_timeouts(driver: str) -> dict[str, float]:
    if driver == "postgresql+asyncpg":
        return {"timeout": PROBE_TIMEOUT, "command_timeout": PROBE_TIMEOUT}
    if driver == "sqlite+aiosqlite":
        return {"timeout": PROBE_TIMEOUT}  # waiting for a lock
    return {}


async def _external_api_ready(request: Request) -> bool:
    session = ExternalSession()
    try:
        return bool(await session.get(EXTERNAL_USERS_URL))
    finally:
        session.closed = True


CHECKS: dict[str, Callable[[Request], Awaitable[bool]]] = {
    "database": _database_ready,
    "external_api": _external_api_ready,
}


async def _run(check: Callable[[Request], Awaitable[bool]], request: Request) -> bool:
    try:
        with anyio.fail_after(PROBE_TIMEOUT):
            return await check(request)
    except Exception:
        return False


@router.get("/health", response_model=Health)
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/health/live",
    response_model=Liveness,
    responses={503: {"model": Health, "description": "the app is shutting down"}},
)
async def live(request: Request) -> JSONResponse:
    lifecycle = lifecycle_of(request) or Lifecycle()
    if lifecycle.shutting_down:
        return JSONResponse({"status": "shutting_down"}, status.HTTP_503_SERVICE_UNAVAILABLE)
    return JSONResponse({"status": "alive", "uptime": lifecycle.uptime})


@router.get(
    "/health/ready",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "a dependency is down"}},
)
async def ready(request: Request) -> JSONResponse:
    lifecycle = lifecycle_of(request) or Lifecycle()
    checks = {name: await _run(check, request) for name, check in CHECKS.items()}
    healthy = all(checks.values()) and not lifecycle.shutting_down
    body: dict[str, object] = {
        "status": "healthy" if healthy else "degraded",
        "uptime_seconds": lifecycle.uptime,
        "checks": checks,
    }
    if not healthy:
        body["failed"] = [name for name, ok in checks.items() if not ok]
    code = status.HTTP_200_OK if healthy else status.HTTP_503_SERVICE_UNAVAILABLE
    return JSONResponse(body, status_code=code)
