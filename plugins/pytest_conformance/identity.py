"""Check identity: every conformance check names its SPEC ID, title, source and level."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

import pytest

from pytest_conformance.profile.gating import unknown_capabilities, unknown_path_keys

Level = Literal["contract", "strict"]
ID_PATTERN = re.compile(r"^(?P<area>[A-Z]+)-(?P<number>\d{2})$")
MARKER = "conformance"

F = TypeVar("F", bound=Callable[..., object])


@dataclass(frozen=True)
class CheckInfo:
    id: str
    title: str
    ref: str
    level: Level
    needs: tuple[str, ...] = ()  # capabilities of the profile the check cannot run without
    uses: tuple[str, ...] = ()  # [paths] keys read before the check's own code runs

    @property
    def area(self) -> str:
        match = ID_PATTERN.match(self.id)
        assert match is not None
        return match["area"]


def check(
    id: str,
    title: str,
    *,
    ref: str,
    level: Level = "contract",
    needs: tuple[str, ...] | str = (),
    uses: tuple[str, ...] = (),
) -> Callable[[F], F]:
    """Tag a check function with its SPEC ID (``"ERR-01"``), a title and its source.

    ``ref`` names where the behaviour comes from: the tutorial example and, where one
    applies, the RFC section (``"Ex 51; RFC 9110 §15.5"``). ``level="strict"`` marks a
    check that goes beyond the tutorial contract: its failures are reported as strict
    notes and fail the run only under ``--strict``. ``needs`` names the profile's
    capabilities the check cannot run without; the plugin skips it when one is off.
    ``uses`` names ``[paths]`` keys to resolve before the check runs (a check that reads
    them in worker threads): unmapped under ``contract = "none"``, it is not applicable.
    """
    needs = (needs,) if isinstance(needs, str) else tuple(needs)
    unknown = unknown_capabilities(needs)
    if unknown:
        raise ValueError(f"check {id}: needs names no capability of the profile: {unknown}")
    unknown = unknown_path_keys(uses)
    if unknown:
        raise ValueError(f"check {id}: uses names no [paths] key of the profile: {unknown}")
    if not ID_PATTERN.match(id):
        raise ValueError(f"check id {id!r} is not of the form AREA-NN")
    if level not in ("contract", "strict"):
        raise ValueError(f"check level {level!r} is neither 'contract' nor 'strict'")
    info = CheckInfo(id=id, title=title, ref=ref, level=level, needs=needs, uses=uses)

    def decorate(function: F) -> F:
        marked = pytest.mark.conformance(info)(function)
        return getattr(pytest.mark, info.area.lower())(marked)  # type: ignore[no-any-return]

    return decorate


def info_of(item: pytest.Item) -> CheckInfo | None:
    marker = item.get_closest_marker(MARKER)
    if marker is None or not marker.args or not isinstance(marker.args[0], CheckInfo):
        return None
    return marker.args[0]
