"""Registration answers the submitted password back to the client."""

from typing import Any

from fastapi import APIRouter, Request, Response

from reference_app.database import SessionDep
from reference_app.routers import register as reference_register
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"VAL-01"})

router = APIRouter()


@router.post("/register", status_code=201)
async def register(
    payload: reference_register.Registration,
    session: SessionDep,
    request: Request,
    response: Response,
) -> dict[str, Any]:
    created = await reference_register.register(payload, session, request, response)
    return {**created.model_dump(), "password": payload.password}


app = reference()
shadow_routes(app, router)
