"""Startup never loads the model, so /predict cannot answer."""

import reference_app.factory
from reference_app.routers.lifecycle import Lifecycle
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"LIFE-01"})


def start_without_model(state: object) -> None:
    state.lifecycle = Lifecycle()  # type: ignore[attr-defined]


reference_app.factory.start_lifecycle = start_without_model
app = reference()
