"""Load the user's ASGI app (--target-app, --target-serve, ``conformance init --app``),
with errors that say whose fault it is: the spec's format, the module, the attribute, or
an exception the user's own module raised while importing.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import pytest

from pytest_conformance.targets.importer import ImportFromStringError, import_from_string


class AppLoadError(Exception):
    """The app cannot be loaded; the message says why (the caller names its option)."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where  # the innermost frames of the user's traceback, if any


def import_app(spec: str) -> Any:
    """The ASGI app ``module:attr`` names, imported from the current directory too."""
    if os.getcwd() not in sys.path:  # like uvicorn's --app-dir: the project root imports
        sys.path.insert(0, os.getcwd())
    try:
        app = import_from_string(spec)
    except ImportFromStringError as error:
        raise AppLoadError(str(error)) from None
    except Exception as error:
        raise AppLoadError(
            f"importing your module raised {type(error).__name__}: {error}", _where(error)
        ) from None
    if not callable(app):
        raise AppLoadError(
            f"'{spec}' is a {type(app).__name__}, not an ASGI app "
            "(point at the FastAPI/Starlette instance, e.g. 'myapp.main:app')"
        )
    return app


def load_app(option: str, spec: str) -> Any:
    """``import_app`` for the plugin: a failure is a usage error naming the option."""
    try:
        return import_app(spec)
    except AppLoadError as error:
        where = f"\n{error.where}" if error.where else ""
        raise pytest.UsageError(f"{option}={spec}: {error}{where}") from None


def _where(error: BaseException) -> str:
    """The innermost frames of the user's traceback, without the plugin's own."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [frame for frame in frames if "importlib" not in frame.filename
           and "pytest_conformance" not in frame.filename]  # fmt: skip
    return "".join(traceback.format_list(own[-3:])).rstrip()
