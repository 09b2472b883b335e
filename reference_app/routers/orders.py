"""Repositories sharing one per-request session (DI-01, DI-02)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reference_app.database import SessionDep
from reference_app.models import User
from reference_app.schemas import error_responses

router = APIRouter(tags=["orders"])


class UserRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count(User.id))) or 0)


class OrderRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session


def get_user_repo(session: SessionDep) -> UserRepo:
    return UserRepo(session)


def get_order_repo(session: SessionDep) -> OrderRepo:
    return OrderRepo(session)


class UserOrders(BaseModel):
    user_id: int
    user_repo: str
    order_repo: str
    same_db: bool


class SimulatedFailure(RuntimeError):
    """Raised on purpose by ``?fail=true`` to exercise teardown and the 500 envelope."""


@router.get(
    "/orders/user/{user_id}",
    response_model=UserOrders,
    # ``?fail=true`` is kept out of the document, but its 500 is a real answer.
    responses=error_responses(500),
)
async def user_orders(
    user_id: int,
    user_repo: Annotated[UserRepo, Depends(get_user_repo)],
    order_repo: Annotated[OrderRepo, Depends(get_order_repo)],
    fail: bool = Query(False, include_in_schema=False),
) -> UserOrders:
    if fail:
        await user_repo.count()  # make sure a connection is really open
        raise SimulatedFailure("simulated failure after the session was opened")
    return UserOrders(
        user_id=user_id,
        user_repo=type(user_repo).__name__,
        order_repo=type(order_repo).__name__,
        same_db=user_repo.session is order_repo.session,
    )
