"""Fixtures of the plugin's own tests: a clean environment and a tiny target project."""

from __future__ import annotations

import pytest
from plugin_testing import CONFORMANCE_ENV, TARGET_APP


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in CONFORMANCE_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A pytester directory holding the tiny target app as ``target_app``."""
    pytester.makepyfile(target_app=TARGET_APP)
    return pytester
