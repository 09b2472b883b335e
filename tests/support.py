"""Running the conformance suite in a subprocess, as a user would, and reading its report."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.suite_server import SuiteServer

REPO_ROOT = Path(__file__).resolve().parent.parent
SUITE_TIMEOUT = 300
# Third-party pytest plugins the suite does not use: the fuzz area drives schemathesis and
# hypothesis as libraries. Loaded as plugins, they import both whole at start-up (and, when
# no bytecode may be written, pytest re-rewrites every module of theirs): ~2 s per run.
UNUSED_PLUGINS = ("-p", "no:schemathesis", "-p", "no:hypothesispytest")


# The reference app's Argon2 cost at its floor (``reference_env``'s default): a whole suite
# run hashes about 60 passwords, a second of CPU at the shipped cost.
FAST_HASH = {"PASSWORD_HASH_TIME_COST": "1", "PASSWORD_HASH_MEMORY_KIB": "1024"}


_shared_server: SuiteServer | None = None


def shared_server() -> SuiteServer:
    """This test process's one fork server, started on first use, closed at exit.

    Every suite run of the project's tests is forked from it (``run_suite``), so each pays
    for its own pytest, suite and target, never again for importing the libraries.
    """
    global _shared_server
    if _shared_server is None:
        _shared_server = SuiteServer(REPO_ROOT)
        atexit.register(_shared_server.close)
    return _shared_server


def child_env() -> dict[str, str]:
    """This process's environment for a suite run: no ``CONFORMANCE_`` setting of ours, and
    bytecode caches written (each run is a fresh pytest importing and rewriting the suite's
    ~150 modules: without caches, seconds a run and hundreds of runs a test session)."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("CONFORMANCE_") and key != "PYTHONDONTWRITEBYTECODE"
    }


def reference_env(tmp_path: Path, *, shipped_hash: bool = False, **extra: str) -> dict[str, str]:
    """Environment for a reference-app process: fresh secrets and a database of its own.

    Passwords are hashed at the floor cost unless ``shipped_hash``: for runs that judge the
    app as shipped, or time its logins (AUTH-08)."""
    env = child_env()
    env.update(
        SECRET_KEY=secrets.token_urlsafe(48),
        JWT_SECRET_KEY=secrets.token_urlsafe(48),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'reference.db'}",
    )
    if not shipped_hash:
        env.update(FAST_HASH)
    env.update(extra)
    return env


@dataclass
class SuiteRun:
    returncode: int
    output: str
    report: dict[str, Any]

    @property
    def failed_ids(self) -> set[str]:
        return set(self.report.get("failed_ids", []))

    def outcomes(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.report.get("checks", []):
            counts[entry["outcome"]] = counts.get(entry["outcome"], 0) + 1
        return counts


def report_of(tmp_path: Path) -> Path:
    """Where a suite run in ``tmp_path`` writes its JSON report."""
    return tmp_path / "conformance-report.json"


def suite_command(
    tmp_path: Path,
    *target_args: str,
    profile: str | None = None,
    env: dict[str, str],
    extra_args: tuple[str, ...] = (),
    jwt_secret: bool = True,
    left_out: tuple[str, ...] = UNUSED_PLUGINS,
) -> list[str]:
    """``python -m pytest --pyargs conformance <target_args> ...`` as ``run_suite`` runs it:
    its report at ``report_of(tmp_path)``, its profile (if any) written beside it;
    ``left_out``: the installed pytest plugins it does not load."""
    if jwt_secret and "JWT_SECRET_KEY" in env and "[jwt]" not in (profile or ""):
        # The secret enables the forged-token attacks; tables go after top-level keys.
        profile = f'{profile or ""}\n[jwt]\nsecret = "{env["JWT_SECRET_KEY"]}"\n'
    command = [
        sys.executable, "-m", "pytest", "--pyargs", "conformance", *target_args,
        f"--conformance-report={report_of(tmp_path)}", "-p", "no:cacheprovider", *left_out,
        "-q", "-o", "addopts=", *extra_args,
    ]  # fmt: skip
    if profile is not None:
        profile_path = tmp_path / "profile.toml"
        profile_path.write_text(profile, encoding="utf-8")
        command.append(f"--profile={profile_path}")
    return command


def run_suite(
    tmp_path: Path,
    *target_args: str,
    profile: str | None = None,
    env: dict[str, str] | None = None,
    extra_args: tuple[str, ...] = (),
    jwt_secret: bool = True,
    server: SuiteServer | None = None,
) -> SuiteRun:
    """``suite_command`` in a subprocess run from the repo root.

    The subprocess is a child forked by ``server`` (by default this process's shared one):
    the same run as ``python -m pytest``, without importing the third-party libraries again.
    """
    server = server if server is not None else shared_server()
    env = env if env is not None else reference_env(tmp_path)
    command = suite_command(
        tmp_path, *target_args, profile=profile, env=env, extra_args=extra_args,
        jwt_secret=jwt_secret,
    )  # fmt: skip
    output_path = tmp_path / "suite-output.txt"
    returncode = server.run(command[3:], env, output_path, SUITE_TIMEOUT)
    output = output_path.read_text(encoding="utf-8", errors="replace")
    report_path = report_of(tmp_path)
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    return SuiteRun(returncode, output, report)


SERVER_START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def served_reference(env: dict[str, str], *, quiet: bool = False) -> Iterator[str]:
    """``python -m reference_app serve`` on a free loopback port; yields its base URL.

    ``quiet``: the server's output (its access log) is discarded.

    Ready once ``/health`` answers; stopped (terminated, then killed) when the block ends.
    """
    port = free_port()
    command = [sys.executable, "-m", "reference_app", "serve", "--host", "127.0.0.1",
               "--port", str(port)]  # fmt: skip
    output = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=output, stderr=output)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the reference server for {url} exited during startup")
            with contextlib.suppress(httpx.TransportError):
                httpx.get(url + "/health", timeout=1)
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not start within {SERVER_START_TIMEOUT:g} s")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
