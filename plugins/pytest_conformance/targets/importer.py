"""Import an ASGI app from a ``module:attribute`` string, with uvicorn's three distinct errors."""

from __future__ import annotations

import importlib
from typing import Any


class ImportFromStringError(Exception):
    """The ``module:attribute`` string could not be turned into an object."""


def import_from_string(spec: str) -> Any:
    module_name, sep, attrs = spec.partition(":")
    if not sep or not module_name or not attrs:
        raise ImportFromStringError(
            f"'{spec}' is not of the form 'module:attribute' (for example 'myapp.main:app')"
        )
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name is None or not _is_prefix_of(error.name, module_name):
            # the module exists but something it imports does not: that is the user's error
            raise
        raise ImportFromStringError(
            f"could not import module '{module_name}' (from '{spec}'): is it on sys.path? "
            f"run pytest from your project's root or install the project"
        ) from None
    instance: Any = module
    try:
        for attr in attrs.split("."):
            instance = getattr(instance, attr)
    except AttributeError:
        raise ImportFromStringError(
            f"module '{module_name}' has no attribute '{attrs}' (from '{spec}')"
        ) from None
    return instance


def _is_prefix_of(missing: str, wanted: str) -> bool:
    """True when the missing module is ``wanted`` itself or one of its parent packages."""
    return wanted == missing or wanted.startswith(missing + ".")
