"""Capability gating: the one place a check is skipped for what the profile says is absent.

A check declares what it needs (``@check(..., needs=("auth", "rbac"))``); the plugin skips
it before any fixture starts, with one wording that names the profile key to change. A
check whose need depends on its own parameters calls :func:`require` instead.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from pytest_conformance.profile.applicability import not_applicable
from pytest_conformance.profile.sections import Capabilities, Paths, Profile


def unknown_capabilities(names: Iterable[str]) -> list[str]:
    return sorted(set(names) - set(Capabilities.model_fields))


def unknown_path_keys(names: Iterable[str]) -> list[str]:
    return sorted(set(names) - set(Paths.model_fields))


def resolve_paths(profile: Profile, keys: Iterable[str]) -> None:
    """Read each ``[paths]`` key: an unmapped one makes the check not applicable now."""
    __tracebackhide__ = True
    for key in keys:
        getattr(profile.paths, key)


def absent(profile: Profile, names: Iterable[str]) -> list[str]:
    """The capabilities among ``names`` that the profile switches off."""
    return [name for name in names if not getattr(profile.capabilities, name)]


def skip_reason(names: Iterable[str]) -> str:
    """``the profile says the target has no 'auth' ([capabilities] auth = false)``."""
    listed = list(names)
    described = ", ".join(f"'{name}'{_described(name)}" for name in listed)
    keys = ", ".join(f"{name} = false" for name in listed)
    return f"the profile says the target has no {described} ([capabilities] {keys})"


def require(profile: Profile, *names: str) -> None:
    """Skip the running check unless the profile has every capability in ``names``."""
    __tracebackhide__ = True
    unknown = unknown_capabilities(names)
    if unknown:
        raise ValueError(f"not capabilities of the profile: {unknown}")
    unpromised = [name for name in names if not profile.capabilities.promised(name)]
    if unpromised:
        not_applicable(
            f"the profile does not say the target has {', '.join(map(repr, unpromised))} and "
            f'contract = "none" (set [capabilities] {unpromised[0]} = true to judge it)'
        )
    missing = absent(profile, names)
    if missing:
        pytest.skip(skip_reason(missing))


def _described(name: str) -> str:
    description = Capabilities.model_fields[name].description
    return f" ({description})" if description else ""
