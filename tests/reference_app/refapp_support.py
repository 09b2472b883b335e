"""Helpers for the reference app's unit tests (in-process, through httpx)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from reference_app import Settings, create_app

SECRET = "s" * 48
JWT_SECRET = "j" * 48


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "secret_key": SECRET,
        "jwt_secret_key": JWT_SECRET,
        "database_url": f"sqlite+aiosqlite:///{tmp_path / 'test.db'}",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def app_and_client(
    tmp_path: Path, host: str = "127.0.0.1", **overrides: Any
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """A started app (lifespan run) and a client whose address is ``host``."""
    app = create_app(make_settings(tmp_path, **overrides))
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(manager.app, client=(host, 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield app, client


@asynccontextmanager
async def client_for(
    tmp_path: Path, host: str = "127.0.0.1", **overrides: Any
) -> AsyncIterator[httpx.AsyncClient]:
    async with app_and_client(tmp_path, host, **overrides) as (_, client):
        yield client


async def token_for(client: httpx.AsyncClient, username: str, password: str) -> str:
    response = await client.post("/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# What MW-01 requires, written out here rather than read from the app under test.
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "x-xss-protection": "1; mode=block",
    "referrer-policy": "strict-origin-when-cross-origin",
}
