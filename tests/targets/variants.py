"""Correct variants of the reference app: each does what SPEC.md allows differently.

``tests/test_variants.py`` runs the checks of each variant's ID against it: they must pass.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from reference_app.auth import get_current_user
from reference_app.routers.items import build_items_router
from tests.mutants._base import _paths_of, reference
from tests.mutants._compute import float_compute_route


def _empty_bearer_is_an_invalid_token(app: FastAPI) -> None:
    """AUTH-06: ``Authorization: Bearer`` (no token) answered as the tutorial's scheme does."""
    original = app.exception_handlers[HTTPException]

    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        empty_bearer = request.headers.get("authorization", "").strip().lower() == "bearer"
        if exc.status_code == 401 and empty_bearer:
            exc = HTTPException(401, "Could not validate credentials", headers=exc.headers)
        return await original(request, exc)  # type: ignore[no-any-return]

    app.exception_handlers[HTTPException] = handler


empty_bearer_invalid_token = reference()
_empty_bearer_is_an_invalid_token(empty_bearer_invalid_token)

# CACHE-01: the tutorial's float timestamp (time.time()), cached.
float_computed_at = reference()
float_compute_route(float_computed_at, cached=True)


def _items_need_a_login(app: FastAPI) -> FastAPI:
    """Issue 13: the items routes need a logged-in user, and the document says so (OAuth2
    security on each of them). SPEC.md does not make them public; the checks calling them
    must log in instead of failing on a 401 they caused."""
    items = build_items_router(app.state.rate_limiter)
    paths = {route.path for route in items.routes if isinstance(route, APIRoute)}
    entries = app.router.routes
    index = next(i for i, entry in enumerate(entries) if set(_paths_of(entry)) & paths)
    app.include_router(items, dependencies=[Depends(get_current_user)])
    entries[index] = entries.pop()  # in the place of the public one
    return app


items_need_a_login = _items_need_a_login(reference())
