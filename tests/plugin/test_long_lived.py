"""A conformance run keeps the garbage collector off what lives all run, and gives it back."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from _pytest import unraisableexception
from plugin_testing import run_inline

TARGET = "--target-url=http://127.0.0.1:9"

RECORDING = """
import gc
import json
import pathlib
{decorator}
def test_records():
    pathlib.Path("during.json").write_text(json.dumps(gc.get_freeze_count()))
"""
CHECK = RECORDING.format(
    decorator='from pytest_conformance import check\n\n@check("MW-01", "records", ref="Ex 1")'
)
PLAIN = RECORDING.format(decorator="")


def _exit_collections(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many objects were frozen at each of pytest's collections for unraisables."""
    seen: list[int] = []
    harder = unraisableexception.gc_collect_harder

    def recording(iterations: int) -> None:
        seen.append(gc.get_freeze_count())
        harder(iterations)

    monkeypatch.setattr(unraisableexception, "gc_collect_harder", recording)
    return seen


def test_a_run_of_checks_freezes_after_collection_and_thaws_at_the_end(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_checks=CHECK)
    exit_collections = _exit_collections(monkeypatch)
    before = gc.get_freeze_count()
    result = run_inline(pytester, TARGET)
    result.assert_outcomes(passed=1)
    during = json.loads(Path(pytester.path, "during.json").read_text())
    assert during > before + 10_000, "the checks ran with the imported objects frozen"
    assert len(exit_collections) == 2
    assert all(frozen > before + 10_000 for frozen in exit_collections), (
        "pytest's exit collections ran before the thaw",
        exit_collections,
    )
    assert gc.get_freeze_count() == before, "the run gave the objects back"


def test_a_session_without_checks_is_left_alone(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain=PLAIN)
    before = gc.get_freeze_count()
    run_inline(pytester, TARGET).assert_outcomes(passed=1)
    assert json.loads(Path(pytester.path, "during.json").read_text()) == before
    assert gc.get_freeze_count() == before
