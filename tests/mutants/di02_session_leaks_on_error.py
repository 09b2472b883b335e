"""The session dependency has no ``finally``: a failing request never gives its session back."""

from collections.abc import AsyncIterator

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from reference_app.database import get_session
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"DI-02"})


async def leaky_session(request: Request) -> AsyncIterator[AsyncSession]:
    diagnostics = request.app.state.diagnostics
    diagnostics.open_db_sessions += 1
    async with request.app.state.sessionmaker() as session:
        yield session
        await session.commit()
    diagnostics.open_db_sessions -= 1  # skipped when the handler raised


app = reference()
app.dependency_overrides[get_session] = leaky_session
