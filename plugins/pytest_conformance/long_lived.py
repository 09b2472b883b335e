"""Keep the garbage collector off what lives for the whole run.

Once a conformance run has collected its checks, nearly everything in the process (the
suite, its libraries, the target app and its document) lives until the end. Each full
collection walks all of it again: the ones Python starts as the checks allocate, and the
ones pytest makes at exit to find unraisable exceptions (about 0.25 s in a fresh
interpreter). ``gc.freeze`` sets those objects aside, so collections walk only what the
checks make. At the very end, after pytest's last collection, the run gives them back
(``gc.unfreeze``), so a process that goes on (an in-process ``pytester`` run, ``pytest.main``
in a loop) can free this run's target; and it freezes them again when the interpreter
exits, or its final collection would walk them all once more (about 0.4 s).

A session without conformance checks (the plugin is installed, the team runs its own
tests) is left as it is.
"""

from __future__ import annotations

import atexit
import gc

import pytest

from pytest_conformance.identity import info_of

_frozen_key = pytest.StashKey[bool]()


def thaw_at_exit(config: pytest.Config) -> None:
    """Registered from ``pytest_configure``, before pytest's own plugins register their
    exit collections: cleanups run last-in first-out, so this one runs after them."""

    def thaw() -> None:
        if config.stash.get(_frozen_key, False):
            gc.unfreeze()
            atexit.unregister(gc.freeze)  # once, however many runs the process makes
            atexit.register(gc.freeze)

    config.add_cleanup(thaw)


def freeze_after_collection(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Called once collection is done; freezes only for a run of conformance checks."""
    if config.stash.get(_frozen_key, False) or not any(info_of(item) for item in items):
        return
    gc.freeze()
    config.stash[_frozen_key] = True
