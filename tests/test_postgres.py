"""DATA-08: the data areas pass against the reference app on PostgreSQL (asyncpg).

The server comes from POSTGRES_URL (default: trust auth at 127.0.0.1:5432, database
``test``). The run gets a scratch database of its own, dropped afterwards; without the
right to create one it uses the named database and drops the tables it created.
Skipped, with the reason, when no PostgreSQL answers.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from reference_app.models import Base
from tests.support import reference_env, run_suite

POSTGRES_URL = os.environ.get("POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _execute(url: str, *statements: str) -> None:
    asyncpg = pytest.importorskip("asyncpg")
    connection = await asyncpg.connect(_dsn(url), timeout=3)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def _drop_tables(url: str) -> None:
    names = ", ".join(f'"{table.name}"' for table in reversed(Base.metadata.sorted_tables))
    await _execute(url, f"DROP TABLE IF EXISTS {names} CASCADE")


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A database URL for one run; skipped when the server is unreachable."""
    try:
        asyncio.run(_execute(POSTGRES_URL, "SELECT 1"))
    except (OSError, TimeoutError) as error:
        pytest.skip(f"no PostgreSQL at {make_url(POSTGRES_URL).render_as_string()}: {error}")
    scratch = f"conformance_{uuid.uuid4().hex[:12]}"
    try:
        asyncio.run(_execute(POSTGRES_URL, f'CREATE DATABASE "{scratch}"'))
    except Exception:  # no CREATEDB right: share the named database, drop our tables after
        asyncio.run(_drop_tables(POSTGRES_URL))
        try:
            yield POSTGRES_URL
        finally:
            asyncio.run(_drop_tables(POSTGRES_URL))
        return
    try:
        yield make_url(POSTGRES_URL).set(database=scratch).render_as_string(hide_password=False)
    finally:
        asyncio.run(_execute(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))


MODES = {
    "in-process": ("--target-app=reference_app:app",),
    "served": ("--target-serve=reference_app:app",),
    "served-subprocess": ("--target-serve=reference_app:app", "--target-serve-in=subprocess"),
}


@pytest.mark.parametrize("mode", list(MODES))
def test_suite_on_postgres(tmp_path: Path, postgres_database: str, mode: str) -> None:
    """The whole suite, the data areas above all, on PostgreSQL in every target mode."""
    env = reference_env(tmp_path, DATABASE_URL=postgres_database)
    run = run_suite(tmp_path, *MODES[mode], env=env)
    assert run.returncode == 0, run.output[-4000:]
    outcomes = {entry["id"]: entry["outcome"] for entry in run.report.get("checks", [])}
    for check_id in ("DATA-01", "DATA-03", "DATA-05", "DATA-06", "PAGE-03", "PAGE-05", "DI-02"):
        assert outcomes.get(check_id) == "passed", f"{check_id}: {outcomes.get(check_id)}"
