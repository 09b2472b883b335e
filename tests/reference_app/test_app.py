"""Endpoints the ERR and MW checks rely on: root, health, versions, DI-01, streams, items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from refapp_support import app_and_client, client_for

pytestmark = pytest.mark.anyio


async def test_root_and_health(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        assert (await client.get("/health")).json() == {"status": "ok"}
        assert (await client.get("/")).json() == {
            "versions": ["v1", "v2"],
            "latest": "v2",
            "v1_docs": "/v1/docs",
            "v2_docs": "/v2/docs",
        }


async def test_versioned_sub_apps(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        v1 = await client.get("/v1/items/42")
        v2 = await client.get("/v2/items/42")
        doc1 = (await client.get("/v1/openapi.json")).json()
        doc2 = (await client.get("/v2/openapi.json")).json()
        docs = await client.get("/v1/docs")
    assert v1.json() == {"id": 42, "name": "item-42"}
    assert v2.json() == {
        "id": 42,
        "name": "item-42",
        "display_name": "Item #42 (v2)",
        "version": "v2",
    }
    assert (doc1["info"]["title"], doc1["info"]["version"]) == ("My API v1", "1.0.0")
    assert (doc2["info"]["title"], doc2["info"]["version"]) == ("My API v2", "2.0.0")
    assert doc1["servers"] == [{"url": "/v1"}] and list(doc1["paths"]) == ["/items/{item_id}"]
    assert "/v1/openapi.json" in docs.text


async def test_repositories_share_one_session(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get("/orders/user/5")
        schema = (await client.get("/openapi.json")).json()
    assert response.json() == {
        "user_id": 5,
        "user_repo": "UserRepo",
        "order_repo": "OrderRepo",
        "same_db": True,
    }
    params = schema["paths"]["/orders/user/{user_id}"]["get"].get("parameters", [])
    assert [p["name"] for p in params] == ["user_id"]


async def test_sessions_are_closed_after_a_failing_handler(tmp_path: Path) -> None:
    async with app_and_client(tmp_path) as (app, client):
        response = await client.get("/orders/user/1", params={"fail": "true"})
        assert response.status_code == 500
        assert app.state.diagnostics.open_db_sessions == 0


async def test_ndjson_stream(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get("/stream/data", params={"interval": 0})
    assert response.headers["content-type"] == "application/x-ndjson"
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert [row["id"] for row in rows] == list(range(100))
    assert rows[5]["value"] == "item-5"


async def test_sse_stream(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get("/stream/events", params={"max_events": 3, "interval": 0})
        too_many = await client.get("/stream/events", params={"max_events": 101})
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    data_lines = [
        line[len("data: ") :]
        for block in response.text.split("\n\n")
        for line in block.split("\n")
        if line.startswith("data: ")
    ]
    events = [json.loads(data) for data in data_lines]
    assert [event.get("count") for event in events[:-1]] == [0, 1, 2]
    assert events[-1] == {"done": True}
    assert too_many.status_code == 422


async def test_items_create_read_and_page(tmp_path: Path) -> None:
    async with client_for(tmp_path, rate_limit_max_requests=100) as client:
        created = await client.post(
            "/items", json={"name": "Widget", "price": 9.5, "description": "d"}
        )
        assert created.status_code == 201
        item = created.json()
        assert created.headers["location"] == f"/items/{item['id']}"
        assert (await client.get(created.headers["location"])).json() == item
        for index in range(4):
            await client.post("/items", json={"name": f"n{index}", "price": 1})
        page = (await client.get("/items", params={"skip": 1, "limit": 2})).json()
        missing = await client.get("/items/999")
    assert [row["name"] for row in page["items"]] == ["n0", "n1"]
    assert (page["skip"], page["limit"]) == (1, 2)
    assert missing.status_code == 404 and missing.json()["message"] == "Item not found"
