"""The order repository opens its own session: two connections serve one request."""

from collections.abc import AsyncIterator

from fastapi import Request

from reference_app.routers.orders import OrderRepo, get_order_repo
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"DI-01"})


async def own_session_repo(request: Request) -> AsyncIterator[OrderRepo]:
    async with request.app.state.sessionmaker() as session:
        yield OrderRepo(session)


app = reference()
app.dependency_overrides[get_order_repo] = own_session_repo
