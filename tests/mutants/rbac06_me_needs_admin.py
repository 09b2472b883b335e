"""/users/me inherits the users router's admin requirement."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from reference_app.auth import CurrentUser, require_role
from reference_app.schemas import Username
from tests.mutants._base import reference, rewrite_document, shadow_routes

CAUGHT_BY = frozenset({"RBAC-06"})

router = APIRouter()


@router.get("/users/me", response_model=Username)
async def admins_only(user: Annotated[CurrentUser, Depends(require_role("admin"))]) -> Username:
    return Username(username=user.username)


def document_403(document: dict[str, Any]) -> None:
    """The document owns up to the 403, so only the contract's access rule breaks."""
    responses = document["paths"]["/users/me"]["get"]["responses"]
    responses["403"] = responses["401"]


app = reference()
shadow_routes(app, router)
rewrite_document(app, document_403)
