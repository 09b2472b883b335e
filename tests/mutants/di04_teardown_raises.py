"""A dependency's teardown raises after the answer was sent (tutorial Example 29).

``GET /health`` gains an "audit" dependency with ``scope="request"``: its code after
``yield`` runs once the 200 is on its way, and calls a helper that does not exist. Every
client sees a correct answer; only the exception the app raised afterwards shows it.
"""

from collections.abc import Iterator

from fastapi import APIRouter, Depends, Request

from reference_app.routers.health import Health, health
from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"DI-04"})


def audit(request: Request) -> Iterator[None]:
    yield
    audit_read(request.url.path)  # type: ignore[name-defined]  # noqa: F821


app = reference()
router = APIRouter()
router.add_api_route(
    "/health", health, methods=["GET"], response_model=Health,
    dependencies=[Depends(audit, scope="request")],
)  # fmt: skip
shadow_routes(app, router)
