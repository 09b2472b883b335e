"""Async SQLAlchemy engine, sessions and the per-request session dependency (DATA-08)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from reference_app.models import Base


@dataclass
class Diagnostics:
    """Counters of resources still open, for teardown checks (DI-02, STREAM-04)."""

    open_db_sessions: int = 0
    open_http_sessions: int = 0
    active_streams: int = 0


def sqlite_in_memory(url: URL) -> bool:
    """An SQLite database that lives in memory (nothing on disk, one per connection pool)."""
    return url.get_backend_name() == "sqlite" and (
        url.database in (None, "", ":memory:") or "mode=memory" in str(url)
    )


def sqlite_file(url: URL) -> Path | None:
    """The file of an SQLite database named by a plain path; None for another backend, an
    in-memory database or a ``file:`` URI (whose options SQLite reads itself)."""
    if url.get_backend_name() != "sqlite" or sqlite_in_memory(url):
        return None
    database = str(url.database)
    return None if database.startswith("file:") else Path(database)


def create_engine(database_url: str, pool_size: int = 10) -> AsyncEngine:
    """SQLite (aiosqlite) by default; PostgreSQL when the URL says postgresql+asyncpg."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_size=pool_size, pool_pre_ping=True)
    in_memory = sqlite_in_memory(url)
    options: dict[str, Any] = {"connect_args": {"timeout": 30}}
    if not in_memory:
        options["pool_size"] = pool_size
    engine = create_async_engine(url, **options)
    _configure_sqlite(engine, wal=not in_memory)
    return engine


def _configure_sqlite(engine: AsyncEngine, *, wal: bool) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if wal:
            # Readers do not block the writer; concurrent requests stay responsive.
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def create_tables(engine: AsyncEngine, attempts: int = 3) -> None:
    """Create missing tables; safe when several processes start on one database at once.

    ``create_all`` checks, then creates: a process that loses the race gets "already
    exists" from the database, and a retry finds the tables there.
    """
    for attempt in range(1, attempts + 1):
        try:
            async with engine.begin() as connection:
                await connection.run_sync(Base.metadata.create_all)
            return
        except DBAPIError:
            if attempt == attempts:
                raise


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request: commit on success, roll back on error, always close."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    diagnostics: Diagnostics = request.app.state.diagnostics
    diagnostics.open_db_sessions += 1
    try:
        async with sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
    finally:
        diagnostics.open_db_sessions -= 1


# scope="function": the commit happens before the response is sent, so a client
# that got a 201 can read the row back at once (and a failed commit is a 500).
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
