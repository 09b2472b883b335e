"""A fork server for suite runs: the heavy libraries imported once, each run a forked child.

``python -m tests.suite_server`` (from the repository root) imports the third-party
libraries every suite run needs, then reads one JSON job per line on stdin —
``{"args": [...], "env": {...}, "output": path, "timeout": seconds}`` — and runs
``pytest <args>`` in a forked child with exactly that environment, its output in
``output``. It answers one JSON line per job: ``{"returncode": int}`` (``-9`` when the
child was killed at its timeout). Each child is a fresh pytest with a fresh import of the
target module and of the suite and its plugin (pytest rewrites those, so none is imported
here); it differs from ``python -m pytest`` only in not importing fastapi, sqlalchemy, …
and the reference app's modules itself: each child gets the server's copy of them as they
were after import, untouched (building ``reference_app.app`` or any app happens in the
child, from the job's environment; a mutant's patches to them stay in its own child).
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

# Third-party only: our own packages are pytest plugin packages, which pytest must import
# (and rewrite) itself, in the child. anyio (imported by starlette and httpx) is one too:
# pytest in the child warns that it cannot rewrite it, a warning ``ARGS`` silences.
PRELOAD = (
    "pytest",
    "fastapi",
    "pydantic",
    "pydantic_settings",
    "sqlalchemy.ext.asyncio",
    "sqlalchemy.orm",
    "aiosqlite",
    "jsonschema",
    "referencing",
    "openapi_spec_validator",
    "httpx",
    "httpx_ws",
    "httpx_sse",
    "anyio",
    "asgi_lifespan",
    "uvicorn",
    "websockets",
    "cryptography.hazmat.primitives.asymmetric.rsa",
    "jose.jwt",
    "pwdlib",
    "argon2",
    "email_validator",
    "multipart",
    # The fuzz area's libraries, which it imports plain (never rewritten): about 0.4 s a run.
    # Neither reads the environment at import in a way the fuzz run relies on: schemathesis
    # loads SCHEMATHESIS_HOOKS only when a config is built, and the run's hypothesis
    # settings name every value a CI profile would change.
    "schemathesis",
    "hypothesis",
    # ... and what they, and SQLAlchemy's SQLite dialect, import only when first used
    "schemathesis.specs.openapi.schemas",
    "schemathesis.core.error_feedback.pipeline",
    "sqlalchemy.dialects.sqlite.aiosqlite",
    # Not a target module itself (those are imported fresh in the child): the package every
    # mutant and variant builds on. Importing it reads no environment and builds no app.
    "reference_app",
)
ARGS = ("-W", "ignore::pytest.PytestAssertRewriteWarning")
POLL = 0.02


def _child(job: dict[str, Any]) -> int:
    """In the forked child: become ``python -m pytest <args>`` with the job's environment."""
    os.environ.clear()
    os.environ.update(job["env"])
    # the interpreter-level variables a job relies on (bytecode caches, a bench's plugin
    # directory): the fork has started already, so they are applied here as the
    # interpreter would have
    sys.dont_write_bytecode = bool(job["env"].get("PYTHONDONTWRITEBYTECODE"))
    extra = [entry for entry in job["env"].get("PYTHONPATH", "").split(os.pathsep) if entry]
    sys.path[:0] = [entry for entry in extra if entry not in sys.path]
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    output = os.open(job["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(output, 1)
    os.dup2(output, 2)
    import pytest

    args = [*job["args"], *ARGS]
    sys.argv = ["pytest", *args]
    return int(pytest.main(args))


def _run(job: dict[str, Any]) -> int:
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            code = _child(job)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    deadline = time.monotonic() + float(job["timeout"])
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -9
        time.sleep(POLL)


def main() -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    # Everything imported so far outlives every child: out of the collector's sight, each
    # child's collections (pytest runs two full ones at exit) skip it, and its pages stay shared.
    gc.freeze()
    answers = os.fdopen(os.dup(1), "w")
    for line in sys.stdin:
        if line.strip():
            answers.write(json.dumps({"returncode": _run(json.loads(line))}) + "\n")
            answers.flush()


if __name__ == "__main__":
    main()


class SuiteServer:
    """The test process's side: starts ``python -m tests.suite_server`` and hands it jobs."""

    def __init__(self, cwd: Path) -> None:
        self._cwd = cwd
        self._process: subprocess.Popen[str] | None = None
        self._lock = threading.Lock()

    def run(self, args: list[str], env: dict[str, str], output: Path, timeout: float) -> int:
        """``pytest <args>`` in a forked child of the server; its exit code (-9: timed out)."""
        job = {"args": args, "env": env, "output": str(output), "timeout": timeout}
        with self._lock:
            process = self._started()
            assert process.stdin is not None and process.stdout is not None
            process.stdin.write(json.dumps(job) + "\n")
            process.stdin.flush()
            answer = process.stdout.readline()
        if not answer:
            raise RuntimeError(f"the suite server exited (status {process.poll()})")
        return int(json.loads(answer)["returncode"])

    def _started(self) -> subprocess.Popen[str]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tests.suite_server"],
                cwd=self._cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        return self._process

    def close(self) -> None:
        with self._lock:
            if self._process is not None:
                assert self._process.stdin is not None and self._process.stdout is not None
                self._process.stdin.close()
                self._process.wait(30)
                self._process.stdout.close()
                self._process = None
