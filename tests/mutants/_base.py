"""Building blocks for mutants: the reference app, and ways to swap one piece of it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware

from reference_app import create_app
from reference_app.settings import load_settings


def reference(**settings: Any) -> FastAPI:
    """The reference app, with settings from the environment plus ``settings``."""
    return create_app(load_settings(**settings))


def replace_middleware(
    app: FastAPI, original: type, replacement: type | None, **kwargs: Any
) -> None:
    """Swap (or, with ``None``, drop) one middleware before the stack is built."""
    for index, entry in enumerate(app.user_middleware):
        if entry.cls is original:
            if replacement is None:
                del app.user_middleware[index]
            else:
                app.user_middleware[index] = Middleware(
                    replacement, *entry.args, **{**entry.kwargs, **kwargs}
                )
            return
    raise LookupError(f"{original.__name__} is not installed")


def _paths_of(entry: Any) -> list[str]:
    """The paths a top-level routing entry answers (an included router answers several)."""
    if hasattr(entry, "path"):
        return [entry.path]
    included = getattr(entry, "original_router", None)  # FastAPI keeps included routers whole
    prefix = getattr(getattr(entry, "include_context", None), "prefix", "")
    return [prefix + route.path for route in getattr(included, "routes", [])]


def shadow_routes(app: FastAPI, router: APIRouter) -> None:
    """Include ``router`` just before the reference entry serving its first route's path.

    Included the usual way (so dependency overrides reach it), then moved up front. It
    stays out of the document: a mutant breaks behaviour, the document still describes
    the contract (and no operation is listed twice).
    """
    path = getattr(router.routes[0], "path", None)
    entries = app.router.routes
    index = next((i for i, entry in enumerate(entries) if path in _paths_of(entry)), 0)
    app.include_router(router, include_in_schema=False)
    entries.insert(index, entries.pop())
    mark_changed = getattr(app.router, "_mark_routes_changed", None)
    if callable(mark_changed):
        mark_changed()


def rewrite_http_errors(app: FastAPI, rewrite: Callable[[HTTPException], HTTPException]) -> None:
    """Pass every HTTPException through ``rewrite`` before the reference handler answers."""
    original = app.exception_handlers[HTTPException]

    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return await original(request, rewrite(exc))  # type: ignore[no-any-return]

    app.exception_handlers[HTTPException] = handler


def rewrite_document(app: FastAPI, change: Callable[[dict[str, Any]], None]) -> None:
    """Serve the reference document passed once through ``change`` (still built once)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if getattr(app.state, "mutated_document", None) is None:
            document = copy.deepcopy(build())
            change(document)
            app.state.mutated_document = document
        return app.state.mutated_document  # type: ignore[no-any-return]

    app.openapi = openapi  # type: ignore[method-assign]
