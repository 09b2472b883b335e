"""FUZZ: what the suite's fuzz area costs over a plain schemathesis run of the same budget.

Both runs fuzz the reference app in-process, stateless, with the same operations (the
profile's exclusions), seed, examples per operation and generation mode, and the same
admin token on protected operations:

- plain: schemathesis's own Python integration — ``schemathesis.openapi.from_asgi`` and
  ``case.call_and_validate`` on one ASGI client (its built-in checks only);
- ours: the fuzz area's ``Fuzzer`` — cases sent through the suite's streaming in-process
  transport with a client identity each, judged by the built-in checks AND ours;
- ours, bare: the same without our checks (what our checks themselves cost).

Prints requests per second of each and the ratios; the target is ours <= 1.10x plain
(seconds per request).

    python bench/fuzz_overhead.py [--examples N] [--repeat R]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_RATIO = 1.10


def _environment(directory: Path) -> None:
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("JWT_SECRET_KEY", secrets.token_urlsafe(48))
    os.environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{directory / 'fuzz-bench.db'}"


def plain(app: Any, examples: int, seed: int) -> tuple[int, float]:
    """schemathesis alone: its ASGI client, ``call_and_validate``, built-in checks."""
    import schemathesis
    from pytest_conformance import Profile
    from schemathesis.core.failures import FailureGroup
    from schemathesis.python import asgi

    from conformance.fuzzing.runner import excluded, for_each_case
    from conformance.fuzzing.sender import needs_auth, shift_ids

    profile = Profile()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema = schema.exclude(lambda ctx: excluded(profile, ctx.operation.method, ctx.operation.path))
    sent = 0
    seconds = 0.0
    with asgi.get_client(app) as client:
        credentials = profile.users["admin"]
        login = client.post(
            "/token", data={"username": credentials.username, "password": credentials.password}
        )
        bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}

        def send(case: Any) -> None:
            nonlocal sent
            shift_ids(case)
            sent += 1
            headers = bearer if needs_auth(case.operation) else {}
            # a failure costs what a pass costs (schemathesis raises a group of them)
            with contextlib.suppress(AssertionError, FailureGroup):
                case.call_and_validate(session=client, headers=headers)

        started = time.perf_counter()
        for_each_case(schema, examples, seed, send, [])
        seconds = time.perf_counter() - started
    return sent, seconds


def ours(app: Any, examples: int, seed: int, *, our_checks: bool) -> tuple[int, float]:
    """The fuzz area's stateless run through the suite's in-process target."""
    from pytest_conformance import Profile
    from pytest_conformance.targets.backends import start_backend
    from pytest_conformance.targets.target import Target, TargetSpec

    from conformance.fuzzing.runner import Fuzzer
    from conformance.fuzzing.verdicts import FUZZ_IDS

    profile = Profile()
    backend = start_backend(
        "app", "bench", load_app=lambda: app, startup_timeout=15, shutdown_timeout=10
    )
    target = Target(TargetSpec("app", "bench", "bench"), profile, backend)
    try:
        with target.client() as client:
            document = client.get(profile.paths.openapi).json()
        fuzzer = Fuzzer(target, profile, document)
        if not our_checks:
            fuzzer.judge.checks = [
                check for check in fuzzer.judge.checks
                if not check.__name__.startswith("conformance_") and check.__name__ in FUZZ_IDS
            ]  # fmt: skip
        fuzzer.tokens.token()  # the login is not part of the measured run
        started = time.perf_counter()
        fuzzer.stateless(examples, seed)
        seconds = time.perf_counter() - started
        return fuzzer.sender.sent, seconds
    finally:
        target.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10, help="per operation and mode")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best counts")
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        _environment(Path(directory))
        from reference_app import create_app
        from reference_app.settings import load_settings

        results: dict[str, tuple[int, float]] = {}
        plain(create_app(load_settings()), 1, options.seed)  # warm-up: imports, caches
        ours(create_app(load_settings()), 1, options.seed, our_checks=True)
        for _ in range(options.repeat):
            for name, run in (
                ("plain schemathesis", lambda app: plain(app, options.examples, options.seed)),
                ("ours, our checks off", lambda app: ours(
                    app, options.examples, options.seed, our_checks=False)),
                ("ours (fuzz area)", lambda app: ours(
                    app, options.examples, options.seed, our_checks=True)),
            ):  # fmt: skip
                sent, seconds = run(create_app(load_settings()))
                best = results.get(name)
                if best is None or seconds / sent < best[1] / best[0]:
                    results[name] = (sent, seconds)
    for name, (sent, seconds) in results.items():
        print(f"{name:22} {sent:6d} requests in {seconds:6.2f} s: {sent / seconds:7.1f}/s")
    per = {name: seconds / sent for name, (sent, seconds) in results.items()}
    ratio = per["ours (fuzz area)"] / per["plain schemathesis"]
    checks = per["ours (fuzz area)"] / per["ours, our checks off"]
    verdict = "ok" if ratio <= TARGET_RATIO else f"over the {TARGET_RATIO:.2f}x target"
    print(f"ours / plain (seconds per request): {ratio:.2f}x ({verdict})")
    print(f"our checks alone: {checks:.2f}x over the fuzz area without them")


if __name__ == "__main__":
    main()
