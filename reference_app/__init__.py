"""The reference implementation of the conformance contract.

``reference_app:app`` is built on first access (it needs the secrets from the
environment); ``from reference_app import create_app`` never does.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from reference_app.factory import create_app
from reference_app.settings import ConfigurationError, Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    app: FastAPI

__all__ = ["ConfigurationError", "Settings", "app", "create_app"]

_app_lock = threading.Lock()


def __getattr__(name: str) -> Any:
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _app_lock:
        built = globals().get("app")
        if built is None:
            built = create_app()
            globals()["app"] = built  # cached: later lookups bypass __getattr__
    return built
