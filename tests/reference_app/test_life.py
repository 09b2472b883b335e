"""LIFE-01, LIFE-02, LIFE-04: what the lifespan prepares, and health as dependencies fail."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from refapp_support import JWT_SECRET, SECRET, app_and_client, client_for

from reference_app.routers import health

pytestmark = pytest.mark.anyio


async def test_startup_prepares_model_and_database(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        predicted = await client.get("/predict", params={"data": "x y"})
        status = await client.get("/db-status")
    assert predicted.json() == {"result": "prediction for: x y"}
    assert (status.status_code, status.json()) == (200, {"connected": True})


async def test_config_info_shows_no_secret(tmp_path: Path) -> None:
    async with client_for(tmp_path, db_pool_size=7) as client:
        response = await client.get("/config-info")
    assert response.json() == {"app_name": "My API", "debug": False, "db_pool_size": 7}
    assert SECRET not in response.text and JWT_SECRET not in response.text


async def test_health_endpoints_on_a_healthy_app(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        health = (await client.get("/health")).json()
        live = (await client.get("/health/live")).json()
        ready = await client.get("/health/ready")
    assert health == {"status": "ok"}
    assert live["status"] == "alive" and live["uptime"] >= 0
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": True, "external_api": True}
    assert ready.json()["status"] == "healthy" and ready.json()["uptime_seconds"] >= 0


async def test_readiness_degrades_when_the_database_goes_away(tmp_path: Path) -> None:
    directory = tmp_path / "data"
    directory.mkdir()
    url = f"sqlite+aiosqlite:///{directory / 'app.db'}"
    async with client_for(tmp_path, database_url=url) as client:
        assert (await client.get("/health/ready")).status_code == 200
        shutil.rmtree(directory)  # the file, its WAL and the directory are really gone
        ready = await client.get("/health/ready")
        live = await client.get("/health/live")
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "degraded" and body["failed"] == ["database"]
    assert body["checks"] == {"database": False, "external_api": True}
    assert live.status_code == 200 and live.json()["status"] == "alive"


async def test_readiness_probe_makes_no_database_of_its_own(tmp_path: Path) -> None:
    """A database file deleted under a running app: not ready, and the probe leaves no new
    empty file behind (connecting would make one; a failed aiosqlite connect, where the
    directory is gone too, leaves its driver thread to answer a loop that may have closed)."""
    database = tmp_path / "app.db"
    async with client_for(tmp_path, database_url=f"sqlite+aiosqlite:///{database}") as client:
        assert (await client.get("/health/ready")).status_code == 200
        for path in tmp_path.glob("app.db*"):
            path.unlink()
        ready = await client.get("/health/ready")
        assert ready.status_code == 503 and ready.json()["failed"] == ["database"]
        assert not database.exists(), "the readiness probe created an empty database file"


async def test_liveness_answers_shutting_down_once_shutdown_began(tmp_path: Path) -> None:
    async with app_and_client(tmp_path) as (app, client):
        assert (await client.get("/health/live")).status_code == 200
    # The lifespan has run its shutdown; the app object still answers requests.
    transport = httpx.ASGITransport(app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as late:
        live = await late.get("/health/live")
        ready = await late.get("/health/ready")
    assert (live.status_code, live.json()) == (503, {"status": "shutting_down"})
    assert ready.status_code == 503 and ready.json()["status"] == "degraded"


def _sqlite_threads() -> int:
    return sum("_connection_worker_thread" in thread.name for thread in threading.enumerate())


async def test_a_probe_past_its_deadline_leaves_no_connection_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deadline that falls mid-probe (a loaded machine) must not strand the probe's fresh
    connection: its driver thread would outlive the answer and call back into a loop that
    may be gone by then (once seen as a thread exception under an unrelated test)."""
    connect = sqlite3.connect

    def slow_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        time.sleep(2.0)  # in the driver's thread: the probe's deadline passes meanwhile
        return connect(*args, **kwargs)

    async with client_for(tmp_path) as client:
        monkeypatch.setattr(health, "PROBE_TIMEOUT", 0.05)
        monkeypatch.setattr(sqlite3, "connect", slow_connect)
        before = _sqlite_threads()
        await client.get("/health/ready")
        with anyio.move_on_after(1.0):  # a closed connection's thread ends at once
            while _sqlite_threads() > before:
                await anyio.sleep(0.01)
        assert _sqlite_threads() == before, "the probe's driver thread outlived the answer"
