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
from reference_app.openapi import declare_webhooks, install_openapi
from reference_app.rate_limit import build_rate_limiter
from reference_app.routers import auth, orders, register, streams, system, users
from reference_app.routers.authors import router as authors_router
from reference_app.routers.cache import router as cache_router
from reference_app.routers.diagnostics import router as diagnostics_router
from reference_app.routers.external import router as external_router
from reference_app.routers.health import router as health_router
from reference_app.routers.items import build_items_router
from reference_app.routers.legacy import router as legacy_router
from reference_app.routers.lifecycle import begin_shutdown, start_lifecycle
from reference_app.routers.lifecycle import router as lifecycle_router
from reference_app.routers.orders_items import router as order_items_router
from reference_app.routers.products import router as products_router
from reference_app.routers.websockets import build_websocket_router
from reference_app.security import seed_users, use_hash_cost
from reference_app.settings import Settings, load_settings
from reference_app.versions import build_v1, build_v2


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the database, create tables, seed users; dispose the engine on shutdown."""
    settings: Settings = app.state.settings
    use_hash_cost(settings.password_hash_time_cost, settings.password_hash_memory_kib)
    engine = create_engine(settings.database_url, settings.db_pool_size)
    try:
        sessionmaker = create_sessionmaker(engine)
        await create_tables(engine)
        await seed_users(sessionmaker)
        app.state.engine = engine
        app.state.sessionmaker = sessionmaker
        start_lifecycle(app.state)
        yield
    finally:
        begin_shutdown(app.state)
        await engine.dispose()
        await app.state.rate_limiter.counter.aclose()


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
    app.state.rate_limiter = build_rate_limiter(
        settings.rate_limit_max_requests,
        settings.rate_limit_window_seconds,
        settings.rate_limit_backend,
        settings.redis_url,
    )

    install_error_handlers(app, settings.error_envelope)
    install_middleware(app, settings)

    app.include_router(system.router)
    app.include_router(auth.router)  # before users.router: /users/me is not /users/{user_id}
    app.include_router(register.router)
    app.include_router(users.router)
    app.include_router(users.reports_router)
    app.include_router(build_items_router(app.state.rate_limiter))
    app.include_router(order_items_router)  # before orders.router: a fixed path first
    app.include_router(orders.router)
    app.include_router(products_router)
    app.include_router(legacy_router)
    app.include_router(health_router)
    app.include_router(lifecycle_router)
    app.include_router(authors_router)
    app.include_router(external_router)
    app.include_router(cache_router)
    app.include_router(diagnostics_router)
    app.include_router(streams.router)
    app.include_router(build_websocket_router(settings))
    app.mount("/v1", build_v1(settings))
    app.mount("/v2", build_v2(settings))
    declare_webhooks(app)
    install_openapi(app, settings.error_envelope)
    return app
