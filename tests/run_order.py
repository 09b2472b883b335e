"""A pytest plugin: the order the project's tests are handed to xdist, the long ones first.

xdist hands out tests in collection order, so a 40-second suite run collected last
(``test_targets`` sorts late) can keep one worker busy while the others have nothing left.
Starting with the modules whose every test runs a whole suite, longest first, and ending
with the many short ones lets the workers finish together. Only the order changes: every
test is independent of the others (xdist already runs them in any order).
"""

from __future__ import annotations

import pytest

# Modules of tests that each run the suite (or several) in a subprocess, roughly longest
# test first; the mutant catalogue (~115 runs of similar length) after them.
LONG_FIRST = (
    "tests/test_targets.py",
    "tests/test_init_command.py",
    "tests/test_reference_passes.py",
    "tests/test_postgres.py",
    "tests/test_hostile_targets.py",
    "tests/test_signing_key.py",
    "tests/test_fuzz_careful.py",
    "tests/test_variants.py",
    "tests/test_schemathesis_hooks.py",
    "tests/test_ws_redis.py",
    "tests/test_rate_redis.py",
    "tests/test_mutants.py",
)


def _rank(item: pytest.Item) -> int:
    module = item.nodeid.split("::", 1)[0]
    return LONG_FIRST.index(module) if module in LONG_FIRST else len(LONG_FIRST)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_rank)  # stable: the order within a module stays as collected
