"""The catalogue: SPEC.md's IDs, the checks that claim them, the mutants that prove them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

from pytest_conformance.identity import MARKER, CheckInfo

import conformance
from tests.support import REPO_ROOT

SPEC_COPY = REPO_ROOT / "docs" / "SPEC.md"
SHARED_SPEC = REPO_ROOT.parent / "shared" / "SPEC.md"


def spec_ids(path: Path = SPEC_COPY) -> list[str]:
    """Every ID SPEC.md defines (a bullet that opens with it), in order."""
    text = path.read_text(encoding="utf-8")
    found: list[str] = []
    for line in text.splitlines():
        stripped = line.lstrip("- ").removeprefix("Extension ").removeprefix("(extension) ")
        match = re.match(r"([A-Z]+-\d{2})\b", stripped) if line.startswith("- ") else None
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


def check_modules() -> Iterator[tuple[str, object]]:
    for info in pkgutil.iter_modules(conformance.__path__):
        if info.name.startswith("test_"):
            yield info.name, importlib.import_module(f"conformance.{info.name}")


def checks() -> list[tuple[str, str, CheckInfo]]:
    """(module, function, info) for every @check in the conformance package."""
    found = []
    for module_name, module in check_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            for mark in getattr(function, "pytestmark", []):
                if mark.name == MARKER and isinstance(mark.args[0], CheckInfo):
                    found.append((module_name, name, mark.args[0]))
    return found
