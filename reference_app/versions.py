"""Versioned sub-applications mounted at /v1 and /v2 (VER-01, VER-02, VER-04)."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel

from reference_app.errors import install_error_handlers
from reference_app.openapi import install_openapi
from reference_app.settings import Settings


class ItemV1(BaseModel):
    id: int
    name: str


class ItemV2(BaseModel):
    id: int
    name: str
    display_name: str
    version: str = "v2"


def _sub_app(settings: Settings, version: str, semver: str) -> FastAPI:
    # The parent's middleware wraps mounts; only the error handlers must be repeated.
    app = FastAPI(
        title=f"{settings.app_name} {version}",
        version=semver,
        servers=[{"url": f"/{version}"}],
    )
    install_error_handlers(app, settings.error_envelope)
    install_openapi(app, settings.error_envelope, root=False)
    return app


def build_v1(settings: Settings) -> FastAPI:
    app = _sub_app(settings, "v1", "1.0.0")

    @app.get("/items/{item_id}", response_model=ItemV1)
    async def get_item_v1(item_id: int) -> ItemV1:
        return ItemV1(id=item_id, name=f"item-{item_id}")

    return app


def build_v2(settings: Settings) -> FastAPI:
    app = _sub_app(settings, "v2", "2.0.0")

    @app.get("/items/{item_id}", response_model=ItemV2)
    async def get_item_v2(item_id: int) -> ItemV2:
        return ItemV2(id=item_id, name=f"item-{item_id}", display_name=f"Item #{item_id} (v2)")

    return app
