"""Building blocks for mutants: the reference app, and ways to swap one piece of it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
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
