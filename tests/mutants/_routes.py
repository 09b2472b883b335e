"""Removing one route of the reference app (stream and WebSocket mutants)."""

from __future__ import annotations

from typing import Any


def _drop_from(router: Any, path: str) -> bool:
    """Remove ``path`` from ``router`` or a router included in it (FastAPI keeps those apart)."""
    for index, route in enumerate(router.routes):
        if getattr(route, "path", None) == path:
            del router.routes[index]
            mark_changed = getattr(router, "_mark_routes_changed", None)
            if mark_changed is not None:
                mark_changed()
            return True
        included = getattr(route, "original_router", None)
        if included is not None and _drop_from(included, path):
            return True
    return False


def drop_route(app: Any, path: str) -> None:
    """Remove the route (HTTP or WebSocket) at ``path``; it must exist."""
    if not _drop_from(app.router, path):
        raise LookupError(f"no route at {path}")
