"""The v1 sub-app's document carries the parent's title instead of its own."""

from fastapi import FastAPI

import reference_app.factory
from reference_app.settings import Settings
from reference_app.versions import build_v1
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"VER-02"})


def mutated_v1(settings: Settings) -> FastAPI:
    app = build_v1(settings)
    app.title = settings.app_name
    return app


reference_app.factory.build_v1 = mutated_v1  # type: ignore[assignment]
app = reference()
