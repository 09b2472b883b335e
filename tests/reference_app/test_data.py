"""Items CRUD, cursors, authors, caches and the Redis limiter of the reference app."""

from __future__ import annotations

import os
from pathlib import Path

import anyio
import pytest
from refapp_support import app_and_client, bearer, client_for, token_for

from reference_app.cursor import InvalidCursor, decode_cursor, encode_cursor
from reference_app.rate_limit import RedisWindowCounter

pytestmark = pytest.mark.anyio


def test_cursor_round_trip_and_garbage() -> None:
    assert decode_cursor(encode_cursor(41)) == 41
    for garbage in ("%%%", "bm90IGpzb24", encode_cursor(3)[:-2] + "!!", "eyJpZCI6IC0xfQ"):
        with pytest.raises(InvalidCursor):
            decode_cursor(garbage)


async def test_item_crud(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        created = await client.post("/items", json={"name": "a", "price": 2, "description": "d"})
        assert created.status_code == 201
        item = created.json()
        assert created.headers["location"] == f"/items/{item['id']}"
        path = created.headers["location"]
        assert (await client.patch(path, json={"price": 3})).json() == {**item, "price": 3.0}
        cleared = await client.patch(path, json={"description": None})
        assert cleared.json()["description"] is None and cleared.json()["price"] == 3.0
        for field in ("name", "price"):
            assert (await client.patch(path, json={field: None})).status_code == 422
        assert (
            await client.post("/items", json={"name": "n" * 101, "price": 1})
        ).status_code == 422
        deleted = await client.delete(path)
        assert (deleted.status_code, deleted.content) == (204, b"")
        assert (await client.get(path)).json()["message"] == "Item not found"
        assert (await client.delete(path)).status_code == 404


async def test_cursor_pages_and_invalid_cursor_setting(tmp_path: Path) -> None:
    async with client_for(tmp_path, invalid_cursor="400") as client:
        ids = [
            (await client.post("/items", json={"name": f"i{n}", "price": 1})).json()["id"]
            for n in range(5)
        ]
        seen, cursor = [], None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/items/cursor-paginated", params=params)).json()
            seen += [entry["id"] for entry in page["items"]]
            assert (page["next_cursor"] is None) == (not page["has_more"])
            if not page["has_more"]:
                break
            cursor = page["next_cursor"]
        assert seen == ids
        bad = await client.get("/items/cursor-paginated", params={"cursor": "%%%"})
        assert (bad.status_code, bad.json()["message"]) == (400, "Invalid cursor")
        assert (await client.get("/items/cursor-paginated?limit=51")).status_code == 422


async def test_authors_with_books(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        author = (await client.post("/authors", json={"name": "Le Guin"})).json()
        book = (await client.post(f"/authors/{author['id']}/books", json={"title": "Lathe"})).json()
        loaded = (await client.get(f"/authors/{author['id']}/with-books")).json()
        assert loaded == {"id": author["id"], "name": "Le Guin", "books": [book]}
        missing = await client.get("/authors/999/with-books")
        assert (missing.status_code, missing.json()["message"]) == (404, "Author not found")
        assert (await client.post("/authors/999/books", json={"title": "x"})).status_code == 404


async def test_item_cache_expires_on_the_injected_clock(tmp_path: Path) -> None:
    now = [1000.0]
    async with app_and_client(tmp_path) as (app, client):
        app.state.clock = lambda: now[0]
        flags = []
        for step in (0, 29.9, 0.2):  # first read, within the TTL, past it
            now[0] += step
            flags.append((await client.get("/items-cached/5")).json()["from_cache"])
        assert flags == [False, True, False]


async def test_diagnostics_counts_and_needs_admin(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        assert (await client.get("/_diagnostics")).status_code == 401
        bob = await token_for(client, "bob", "bob-password")
        assert (await client.get("/_diagnostics", headers=bearer(bob))).status_code == 403
        alice = bearer(await token_for(client, "alice", "secret"))
        before = (await client.get("/_diagnostics", headers=alice)).json()
        assert (await client.get("/orders/user/1?fail=true")).status_code == 500
        assert (await client.get("/external-data")).status_code == 200
        assert (await client.get("/_diagnostics", headers=alice)).json() == before


async def test_redis_counter_is_atomic() -> None:
    redis = pytest.importorskip("redis")
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {url}: {error}")
    counter = RedisWindowCounter(url, prefix=f"test-{os.getpid()}-{id(url)}:")
    results: list[float | None] = []

    async def hit() -> None:
        results.append(await counter.hit("client", 5, 60))

    async with anyio.create_task_group() as group:
        for _ in range(20):
            group.start_soon(hit)
    await counter.aclose()
    assert results.count(None) == 5
    assert all(left is None or 0 < left <= 60 for left in results)
