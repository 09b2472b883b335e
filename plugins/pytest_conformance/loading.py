"""Load the user's ASGI app for --target-app / --target-serve, with errors that say whose fault."""

from __future__ import annotations

import os
import sys
import traceback
from typing import Any

import pytest

from pytest_conformance.importer import ImportFromStringError, import_from_string


def load_app(option: str, spec: str) -> Any:
    if os.getcwd() not in sys.path:  # like uvicorn's --app-dir: the project root imports
        sys.path.insert(0, os.getcwd())
    try:
        app = import_from_string(spec)
    except ImportFromStringError as error:
        raise pytest.UsageError(f"{option}={spec}: {error}") from None
    except Exception as error:
        raise pytest.UsageError(
            f"{option}={spec}: importing your module raised {type(error).__name__}: {error}\n"
            f"{_where(error)}"
        ) from None
    if not callable(app):
        raise pytest.UsageError(
            f"{option}={spec}: '{spec}' is a {type(app).__name__}, not an ASGI app "
            "(point at the FastAPI/Starlette instance, e.g. 'myapp.main:app')"
        )
    return app


def _where(error: BaseException) -> str:
    """The innermost frames of the user's traceback, without the plugin's own."""
    frames = traceback.extract_tb(error.__traceback__)
    own = [frame for frame in frames if "importlib" not in frame.filename
           and "pytest_conformance" not in frame.filename]  # fmt: skip
    return "".join(traceback.format_list(own[-3:])).rstrip()
