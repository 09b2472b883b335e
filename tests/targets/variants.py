"""Correct variants of the reference app: each does what SPEC.md allows differently.

``tests/test_variants.py`` runs the checks of each variant's ID against it: they must pass.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from starlette.exceptions import HTTPException

from tests.mutants._base import reference
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
