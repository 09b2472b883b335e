"""Resolve the plugin's settings from the command line, the environment and the ini file.

Each setting has three twins; the command line wins over the environment, which wins
over the ini file. Exactly one target must be named at the winning level.
"""

from __future__ import annotations

import os
from typing import Literal

import pytest

from pytest_conformance.profile.sections import (
    ProfileSetting as ProfileSetting,  # plugin.py names it here
)
from pytest_conformance.profile.sections import find_profile
from pytest_conformance.targets.target import Mode, TargetSpec

TARGET_FORMS = (
    "name exactly one target:\n"
    "  --target-app=module:app      import the ASGI app and test it in-process\n"
    "  --target-url=http://host:port test a running server\n"
    "  --target-serve=module:app    serve the app with uvicorn on a free loopback port\n"
    "(or the ini keys target_app / target_url / target_serve, or the environment variables "
    "CONFORMANCE_TARGET_APP / CONFORMANCE_TARGET_URL / CONFORMANCE_TARGET_SERVE)"
)

_MODES: tuple[Mode, ...] = ("app", "url", "serve")


def _option(mode: str) -> str:
    return f"target_{mode}"


def _env(name: str) -> str:
    return f"CONFORMANCE_{name.removeprefix('conformance_').upper()}"


def _ini_source(config: pytest.Config) -> str:
    inipath = config.inipath
    return f"ini file {inipath.name}" if inipath else "ini file"


def setting(config: pytest.Config, name: str) -> tuple[str, str] | None:
    """The value of one setting and where it came from, or None when unset."""
    value = config.getoption(name, default=None)
    if value not in (None, ""):
        return str(value), "command line"
    env_value = os.environ.get(_env(name))
    if env_value:
        return env_value, f"environment {_env(name)}"
    ini_value = config.getini(name)
    if ini_value:
        return str(ini_value), _ini_source(config)
    return None


def resolve_target(config: pytest.Config) -> TargetSpec | None:
    """The one target, or None when none is named; two at one level is a usage error."""
    by_level: dict[str, list[TargetSpec]] = {}
    for mode in _MODES:
        found = setting(config, _option(mode))
        if found is not None:
            value, source = found
            level = source.split(" ")[0]
            by_level.setdefault(level, []).append(TargetSpec(mode, value, source))
    for level in ("command", "environment", "ini"):
        specs = by_level.get(level, [])
        if len(specs) > 1:
            named = ", ".join(spec.describe() for spec in specs)
            raise pytest.UsageError(f"two targets named ({named}); {TARGET_FORMS}")
        if specs:
            return _validated(specs[0])
    return None


def _validated(spec: TargetSpec) -> TargetSpec:
    if spec.mode == "url" and not spec.value.startswith(("http://", "https://")):
        raise pytest.UsageError(
            f"--target-url={spec.value}: not an http(s) URL (for example http://127.0.0.1:8000)"
        )
    return spec


def resolve_profile(config: pytest.Config) -> ProfileSetting:
    """The profile named by --profile / $CONFORMANCE_PROFILE / the ini key (an ini path is
    relative to the rootdir), else ./pyproject.toml's, else SPEC.md's defaults."""
    found = setting(config, "conformance_profile")
    if found is None:
        return find_profile()
    value, source = found
    return find_profile(value, source, config.rootpath if source.startswith("ini") else None)


def serve_in(config: pytest.Config) -> Literal["thread", "subprocess"]:
    found = setting(config, "target_serve_in")
    value = found[0] if found else "thread"
    if value not in ("thread", "subprocess"):
        raise pytest.UsageError(
            f"--target-serve-in={value}: choose 'thread' (default) or 'subprocess'"
        )
    return "thread" if value == "thread" else "subprocess"


def fuzz_examples(config: pytest.Config) -> int | None:
    """--fuzz-examples: cases per operation and generation mode (None: the profile's).

    ``0`` turns the fuzz area off: its checks skip and say so.
    """
    found = setting(config, "fuzz_examples")
    if found is None:
        return None
    value, source = found
    try:
        examples = int(value)
    except ValueError:
        examples = -1
    if examples < 0:
        raise pytest.UsageError(
            f"--fuzz-examples={value} (from {source}): a number of cases, 0 turns fuzzing off"
        )
    return examples


def strict(config: pytest.Config) -> bool:
    if config.getoption("conformance_strict", default=False):
        return True
    env_value = os.environ.get(_env("conformance_strict"), "")
    if env_value:
        return env_value.lower() in ("1", "true", "yes", "on")
    return bool(config.getini("conformance_strict"))
