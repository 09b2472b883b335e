"""What the lifespan prepares before the first request (LIFE-01, LIFE-02).

The "model" stands in for an expensive resource (an ML model, a lookup table): it is
built once at startup and shared by every request; ``/predict`` answers 503 if a
request ever arrives before it exists.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from reference_app.schemas import error_responses
from reference_app.settings import Settings

router = APIRouter(tags=["lifecycle"])


@dataclass(frozen=True)
class PredictionModel:
    """A deterministic stand-in for a loaded model: a template built at startup."""

    template: str

    def predict(self, data: str) -> str:
        return self.template.format(data=data)


def load_model() -> PredictionModel:
    return PredictionModel(template="prediction for: {data}")


@dataclass
class Lifecycle:
    """Where the app is in its life: started when, shutting down or not (LIFE-04)."""

    started_at: float = field(default_factory=time.monotonic)
    shutting_down: bool = False

    @property
    def uptime(self) -> float:
        return round(time.monotonic() - self.started_at, 3)


def lifecycle_of(request: Request) -> Lifecycle | None:
    return getattr(request.app.state, "lifecycle", None)


class Prediction(BaseModel):
    result: str


class DatabaseStatus(BaseModel):
    connected: bool


class ConfigInfo(BaseModel):
    """Only harmless settings; the secrets are never part of this model (LIFE-02)."""

    app_name: str
    debug: bool
    db_pool_size: int


async def ping_database(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


@router.get("/predict", response_model=Prediction, responses=error_responses(503))
async def predict(request: Request, data: str = Query(max_length=1000)) -> Prediction:
    model: PredictionModel | None = getattr(request.app.state, "model", None)
    if model is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "Model not loaded")
    return Prediction(result=model.predict(data))


@router.get(
    "/db-status",
    response_model=DatabaseStatus,
    responses={503: {"model": DatabaseStatus, "description": "the database does not answer"}},
)
async def db_status(request: Request) -> JSONResponse:
    engine: AsyncEngine | None = getattr(request.app.state, "engine", None)
    connected = engine is not None and await ping_database(engine)
    code = status.HTTP_200_OK if connected else status.HTTP_503_SERVICE_UNAVAILABLE
    return JSONResponse({"connected": connected}, status_code=code)


@router.get("/config-info", response_model=ConfigInfo)
async def config_info(request: Request) -> ConfigInfo:
    settings: Settings = request.app.state.settings
    return ConfigInfo(
        app_name=settings.app_name, debug=settings.debug, db_pool_size=settings.db_pool_size
    )


def start_lifecycle(state: Any) -> None:
    """Startup: load the model and start the uptime clock (the engine is already open)."""
    state.model = load_model()
    state.lifecycle = Lifecycle()


def begin_shutdown(state: Any) -> None:
    """Shutdown has begun: liveness answers 503 from now on."""
    lifecycle: Lifecycle | None = getattr(state, "lifecycle", None)
    if lifecycle is not None:
        lifecycle.shutting_down = True
