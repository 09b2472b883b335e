"""The current request's id, readable anywhere during the request (MW-03)."""

from __future__ import annotations

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("reference_app_request_id", default=None)


def get_request_id() -> str | None:
    """The current request's id, or None outside a request."""
    return request_id_var.get()
