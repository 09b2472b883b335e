"""/reports admits admins only; analysts are refused."""

from typing import Annotated

from fastapi import APIRouter, Depends

from reference_app.auth import CurrentUser, require_role
from reference_app.routers.users import REPORTS, Reports
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"RBAC-04"})

router = APIRouter()


@router.get("/reports", response_model=Reports)
async def admins_only(
    viewer: Annotated[CurrentUser, Depends(require_role("admin"))],
) -> Reports:
    return Reports(reports=REPORTS, viewer=viewer.username)


app = reference()
shadow_routes(app, router)
