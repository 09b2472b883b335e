"""PAGE-06: a cursor page deep in a large table costs about what the first page costs.

Fills a SQLite file with N items (default 1,000,000; bulk ``executemany`` in one
transaction), then times pages through the reference app in-process (the whole ASGI
stack, no network): the first page and a page near the end, for the keyset cursor
(``/items/cursor-paginated``) and for offset pages (``/items?skip=``). Prints the
median of each and the depth/first ratios; the target is cursor <= 1.5x.

    python bench/pagination_depth.py [--items N] [--repeat R] [--db PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import httpx
from asgi_lifespan import LifespanManager
from sqlalchemy import create_engine

from reference_app import Settings, create_app
from reference_app.cursor import encode_cursor
from reference_app.models import Base

PAGE = 50
TARGET_RATIO = 1.5


def fill(path: Path, count: int) -> None:
    """Create the schema and insert ``count`` items unless the file already holds them."""
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    with sqlite3.connect(path) as connection:
        present = connection.execute("SELECT count(*) FROM items").fetchone()[0]
        if present >= count:
            return
        rows = ((f"bench-{n}", 1.0 + n % 100, None) for n in range(present, count))
        connection.executemany(
            "INSERT INTO items (name, price, description) VALUES (?, ?, ?)", rows
        )


async def median_ms(client: httpx.AsyncClient, url: str, repeat: int) -> float:
    for _ in range(3):  # warm caches and connection pool
        (await client.get(url)).raise_for_status()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = await client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    return statistics.median(timings)


async def measure(path: Path, count: int, repeat: int) -> dict[str, float]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        secret_key=secrets.token_urlsafe(48),
        jwt_secret_key=secrets.token_urlsafe(48),
        database_url=f"sqlite+aiosqlite:///{path}",
        rate_limit_max_requests=10**9,  # the bench measures pages, not the limiter
    )
    app = create_app(settings)
    with sqlite3.connect(path) as connection:
        last_id = connection.execute("SELECT max(id) FROM items").fetchone()[0]
    deep_cursor = encode_cursor(last_id - 2 * PAGE)
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            return {
                "cursor first": await median_ms(
                    client, f"/items/cursor-paginated?limit={PAGE}", repeat
                ),
                "cursor deep": await median_ms(
                    client, f"/items/cursor-paginated?limit={PAGE}&cursor={deep_cursor}", repeat
                ),
                "offset first": await median_ms(client, f"/items?skip=0&limit={PAGE}", repeat),
                "offset deep": await median_ms(
                    client, f"/items?skip={count - 2 * PAGE}&limit={PAGE}", repeat
                ),
            }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--db", type=Path, help="SQLite file to reuse (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = args.db or Path(scratch) / "pagination.db"
        started = time.perf_counter()
        fill(path, args.items)
        filled = time.perf_counter() - started
        print(f"table: {args.items:,} items in {path} (filled in {filled:.1f} s)")
        result = asyncio.run(measure(path, args.items, args.repeat))
    for name, value in result.items():
        print(f"  {name:<13} median {value:8.2f} ms  ({args.repeat} requests, {PAGE} items/page)")
    cursor_ratio = result["cursor deep"] / result["cursor first"]
    offset_ratio = result["offset deep"] / result["offset first"]
    verdict = "ok" if cursor_ratio <= TARGET_RATIO else f"ABOVE the {TARGET_RATIO}x target"
    print(f"cursor deep/first: {cursor_ratio:.2f}x ({verdict})")
    print(f"offset deep/first: {offset_ratio:.2f}x")


if __name__ == "__main__":
    main()
