"""A pytest plugin for one suite run on the reference app: what each check reaches.

Loaded into the suite's process with ``-p tests.reach.recorder``; writes the JSON file
named by ``MUTANT_REACH_OUT``::

    {"checks": {nodeid: {"functions": [...], "paths": [...]}},
     "global": {"functions": [...], "paths": [...]}}

``functions`` are the reference app's functions (``module:qualname``) whose body ran,
``paths`` the URL paths the suite requested. Work outside a check's own call (start-up,
collection, fixtures wider than a check, shutdown) is "global": every mutant run needs it.
The checks' run-wide caches (shared logins, forged tokens, the request a genuine token
opens: every private module-level dict of ``conformance`` still empty when the first check
starts) are emptied before each check, so each check's reach holds what it relies on.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import coverage
import httpx
import pytest

import reference_app
from tests.reach.functions import FunctionLines

OUT_VARIABLE = "MUTANT_REACH_OUT"
GLOBAL = ""
SOURCE = Path(reference_app.__file__).resolve().parent


class Recorder:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.context = GLOBAL
        self.paths: dict[str, set[str]] = {}
        self.coverage = coverage.Coverage(data_file=None, source=[str(SOURCE)], config_file=False)
        self._original_sends: dict[type[Any], Any] = {}
        self._run_caches: list[dict[Any, Any]] | None = None

    def start(self) -> None:
        self._watch_requests()
        self.coverage.start()

    def switch(self, context: str) -> str:
        previous, self.context = self.context, context
        self.coverage.switch_context(context)
        return previous

    def forget_run_caches(self) -> None:
        if self._run_caches is None:
            self._run_caches = run_caches()
        for cache in self._run_caches:
            cache.clear()

    def _watch_requests(self) -> None:
        recorder = self
        for client_class in (httpx.Client, httpx.AsyncClient):
            original = client_class.send
            self._original_sends[client_class] = original

            def send(client: Any, request: httpx.Request, *args: Any, _send: Any = original,
                     **kwargs: Any) -> Any:  # fmt: skip
                recorder.paths.setdefault(recorder.context, set()).add(request.url.path)
                return _send(client, request, *args, **kwargs)

            client_class.send = send  # type: ignore[method-assign]

    def write(self) -> None:
        self.coverage.stop()
        for client_class, original in self._original_sends.items():
            client_class.send = original
        functions: dict[str, set[str]] = {}
        data = self.coverage.get_data()
        for filename in data.measured_files():
            path = Path(filename).resolve()
            module = _module_of(path)
            if module is None:
                continue
            lines = FunctionLines(path, module)
            for line, contexts in data.contexts_by_lineno(filename).items():
                function = lines.function_of(line)
                if function is None:
                    continue
                for context in contexts:
                    functions.setdefault(context, set()).add(function)
        contexts = set(functions) | set(self.paths) | {GLOBAL}

        def entry(context: str) -> dict[str, list[str]]:
            return {
                "functions": sorted(functions.get(context, ())),
                "paths": sorted(self.paths.get(context, ())),
            }

        document = {
            "checks": {context: entry(context) for context in sorted(contexts - {GLOBAL})},
            "global": entry(GLOBAL),
        }
        self.out.write_text(json.dumps(document, indent=1), encoding="utf-8")


def run_caches() -> list[dict[Any, Any]]:
    """The private module-level dicts of the checks' modules that are still empty."""
    return [
        value
        for name, module in list(sys.modules.items())
        if name == "conformance" or name.startswith("conformance.")
        for attribute, value in list(vars(module).items())
        if attribute.startswith("_") and isinstance(value, dict) and not value
    ]


def _module_of(path: Path) -> str | None:
    try:
        relative = path.relative_to(SOURCE.parent)
    except ValueError:
        return None
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


recorder_key = pytest.StashKey[Recorder]()


def pytest_configure(config: pytest.Config) -> None:
    out = os.environ.get(OUT_VARIABLE)
    if not out:
        raise pytest.UsageError(f"tests.reach.recorder needs {OUT_VARIABLE}=<file to write>")
    recorder = Recorder(Path(out))
    config.stash[recorder_key] = recorder
    recorder.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    recorder = config.stash.get(recorder_key, None)
    if recorder is not None:
        recorder.write()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    recorder = item.config.stash[recorder_key]
    recorder.forget_run_caches()
    recorder.switch(item.nodeid)
    try:
        return (yield)
    finally:
        recorder.switch(GLOBAL)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
) -> Generator[None, Any, Any]:
    """A fixture shared beyond one check is set up for whichever check comes first: global."""
    if fixturedef.scope == "function":
        return (yield)
    recorder = request.config.stash[recorder_key]
    previous = recorder.switch(GLOBAL)
    try:
        return (yield)
    finally:
        recorder.switch(previous)
