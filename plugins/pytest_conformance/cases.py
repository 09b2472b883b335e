"""Checks with one case per declared thing: the target model's operations as test items.

A check asks for cases by naming an argument: ``operation`` (every documented operation),
``secured_operation``, ``collection``, ``list_operation`` or ``stream_operation``. The
plugin parametrizes it while collecting, from the target model (so the target is started
and its document read at collection), and each case is its own test item:
``test_x[AUTH-09-GET /users/me]`` — in JUnit, in ``-k`` and in the report. With no
document, or nothing of that kind declared, the check has one case, ``none``, which is
not applicable with the reason: never a pass by not looking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from pytest_conformance.profile.applicability import not_applicable
from pytest_conformance.target_model import TargetModel

CASES: dict[str, tuple[str, Callable[[TargetModel], Sequence[Any]]]] = {
    "operation": ("documented operations", lambda model: model.operations),
    "secured_operation": ("operations with a security requirement", lambda model: model.secured),
    "collection": (
        "collections (a create and a read on its item path)",
        lambda model: model.collections,
    ),
    "list_operation": ("list operations with pagination parameters", lambda model: model.lists),
    "stream_operation": ("streamed operations (SSE or JSON Lines)", lambda model: model.streams),
}


@dataclass(frozen=True)
class NoCases:
    """The one case of a check that has nothing to judge, and why."""

    reason: str


def case_arguments(names: Iterable[str]) -> list[str]:
    return [name for name in names if name in CASES]


def case_id(value: Any) -> str:
    """``GET /users/{user_id}`` for an operation (of a list or a stream too), the create
    path for a collection."""
    value = getattr(value, "operation", value)
    name = getattr(value, "name", None)
    if isinstance(name, str):
        return name
    path = getattr(value, "path", None)
    return str(path) if path is not None else repr(value)


def parametrize(metafunc: pytest.Metafunc, model: TargetModel | str) -> None:
    for argument in case_arguments(metafunc.fixturenames):
        what, select = CASES[argument]
        if isinstance(model, str):
            values: Sequence[Any] = [NoCases(model)]
        else:
            values = select(model) or [NoCases(f"the target's document declares no {what}")]
        ids = ["none" if isinstance(value, NoCases) else case_id(value) for value in values]
        metafunc.parametrize(argument, values, ids=ids)


def skip_without_cases(item: pytest.Item) -> None:
    """Before a check runs: its ``none`` case is not applicable, with the reason."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return
    for argument in case_arguments(callspec.params):
        value = callspec.params[argument]
        if isinstance(value, NoCases):
            not_applicable(value.reason)
