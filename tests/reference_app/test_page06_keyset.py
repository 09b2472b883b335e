"""PAGE-06, the part HTTP cannot see: a deep cursor page is an index seek, never an OFFSET.

The cost ratio itself is measured by ``bench/pagination_depth.py``; this test pins the
reason the ratio stays near 1, on the query the endpoint really sends.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from refapp_support import app_and_client
from sqlalchemy import event

pytestmark = pytest.mark.anyio


async def test_deep_cursor_page_seeks_the_primary_key(tmp_path: Path) -> None:
    async with app_and_client(tmp_path) as (app, client):
        for number in range(30):
            response = await client.post("/items", json={"name": f"n{number}", "price": 1})
            assert response.status_code == 201, response.text
        statements: list[tuple[str, Any]] = []

        def remember(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
            if "FROM items" in statement:
                statements.append((statement, parameters))

        engine = app.state.engine.sync_engine
        event.listen(engine, "before_cursor_execute", remember)
        try:
            first = await client.get("/items/cursor-paginated", params={"limit": 10})
            deep = await client.get(
                "/items/cursor-paginated",
                params={"limit": 10, "cursor": first.json()["next_cursor"]},
            )
        finally:
            event.remove(engine, "before_cursor_execute", remember)
        assert deep.status_code == 200 and deep.json()["items"][0]["id"] == 11

        statement, parameters = statements[-1]
        assert "items.id >" in statement, statement
        assert parameters[0] == 10, "the deep page starts after the last id it was given"
        if "OFFSET" in statement.upper():  # SQLite renders "LIMIT ? OFFSET ?" with offset 0
            assert parameters[-1] == 0, (statement, parameters)
        async with app.state.engine.connect() as connection:
            plan = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            details = " ".join(str(row[-1]) for row in plan)
        assert "USING INTEGER PRIMARY KEY" in details, details
