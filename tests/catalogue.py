"""The catalogue: SPEC.md's IDs, the checks that claim them, the mutants that prove them."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

from pytest_conformance.identity import MARKER, CheckInfo
from pytest_conformance.observation.findings import FINDING_IDS

import conformance
from tests.support import REPO_ROOT

SPEC_COPY = REPO_ROOT / "docs" / "SPEC.md"
SHARED_SPEC = REPO_ROOT.parent / "shared" / "SPEC.md"


def spec_ids(path: Path = SPEC_COPY) -> list[str]:
    """Every ID SPEC.md defines (a bullet that opens with it), in order."""
    return spec_ids_in(path.read_text(encoding="utf-8"))


def property_ids(path: Path = SPEC_COPY) -> frozenset[str]:
    """The IDs of SPEC.md's last section, "ANY": properties checked on whatever the target
    declares, not the tutorial's contract (their not-applicable reasons name what is missing,
    not ``contract = "none"``)."""
    text = path.read_text(encoding="utf-8")
    _, _, section = text.partition("\n## ANY")
    return frozenset(spec_ids_in(section))


def spec_ids_in(text: str) -> list[str]:
    """The IDs a piece of SPEC.md defines (a bullet that opens with one), in order."""
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


def checked_ids() -> set[str]:
    """The IDs with a check: an @check function, or the plugin's run-wide findings items
    (OAS-06, LIFE-02, ERR-07 judge every answer of the run; ERR-07 has no function)."""
    return {info.id for _, _, info in checks()} | set(FINDING_IDS)


# SPEC IDs no HTTP check can observe; a project test proves each instead of a check and
# its mutant (the test itself fails when the behaviour breaks).
PROVEN_BY_PROJECT_TESTS: dict[str, tuple[str, ...]] = {
    "DATA-08": (
        "tests/test_postgres.py::test_suite_on_postgres",  # same suite, asyncpg, 3 modes
        "tests/reference_app/test_settings.py::test_module_level_app_is_lazy_and_cached",
    ),
    "PAGE-06": (
        "tests/reference_app/test_page06_keyset.py::test_deep_cursor_page_seeks_the_primary_key",
    ),
    "LIFE-03": (
        "tests/reference_app/test_life03_process.py::test_refuses_to_start_naming_the_variable",
        "tests/reference_app/test_settings.py::test_missing_secret_names_the_variable",
        "tests/reference_app/test_settings.py::test_short_secret_is_refused_without_echoing_it",
    ),
}


# SPEC IDs whose check has not landed yet: each names the issue that builds it. The
# coverage test accepts them until then, and fails once an ID here gains a check (so the
# list cannot go stale).
# Empty since issue 14 gave SPEC.md's ANY section its checks.
PENDING: dict[str, str] = {}


def project_test_exists(node: str) -> bool:
    """Whether ``path::function`` names a test function defined in this repository."""
    path, _, function = node.partition("::")
    source = REPO_ROOT / path
    return (
        source.is_file()
        and re.search(rf"^(async )?def {re.escape(function)}\(", source.read_text(), re.MULTILINE)
        is not None
    )
