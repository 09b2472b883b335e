"""The application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from reference_app.database import (
    Diagnostics,
    create_engine,
    create_sessionmaker,
    create_tables,
)
from reference_app.errors import install_error_handlers
from reference_app.middleware import install_middleware
from reference_app.rate_limit import RateLimiter
from reference_app.routers import auth, orders, streams, system
from reference_app.routers.items import build_items_router
from reference_app.security import seed_users
from reference_app.settings import Settings, load_settings
from reference_app.versions import build_v1, build_v2


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the database, create tables, seed users; dispose the engine on shutdown."""
    settings: Settings = app.state.settings
    engine = create_engine(settings.database_url, settings.db_pool_size)
    try:
        sessionmaker = create_sessionmaker(engine)
        await create_tables(engine)
        await seed_users(sessionmaker)
        app.state.engine = engine
        app.state.sessionmaker = sessionmaker
        yield
    finally:
        await engine.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the reference app; ``settings=None`` reads the environment and ``.env``.

    Raises ``ConfigurationError`` (one-line message) when the settings are invalid.
    """
    settings = settings if settings is not None else load_settings()
    # debug is deliberately not passed on: Starlette's debug mode would put
    # tracebacks into 500 responses (ERR-05).
    app = FastAPI(title=settings.app_name, version="1.0.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.diagnostics = Diagnostics()
    app.state.rate_limiter = RateLimiter(
        settings.rate_limit_max_requests, settings.rate_limit_window_seconds
    )

    install_error_handlers(app, settings.error_envelope)
    install_middleware(app, settings)

    app.include_router(system.router)
    app.include_router(auth.router)
    app.include_router(build_items_router(app.state.rate_limiter))
    app.include_router(orders.router)
    app.include_router(streams.router)
    app.mount("/v1", build_v1(settings))
    app.mount("/v2", build_v2(settings))
    return app
