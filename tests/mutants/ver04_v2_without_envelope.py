"""The v2 sub-app has no error handlers of its own: its errors are FastAPI's bare ones."""

from fastapi import FastAPI

import reference_app.factory
import reference_app.versions
from reference_app.settings import Settings
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"VER-04"})

build_v2 = reference_app.versions.build_v2


def mutated_v2(settings: Settings) -> FastAPI:
    original = reference_app.versions.install_error_handlers
    reference_app.versions.install_error_handlers = lambda app, style: None
    try:
        return build_v2(settings)
    finally:
        reference_app.versions.install_error_handlers = original


reference_app.factory.build_v2 = mutated_v2  # type: ignore[assignment]
app = reference()
