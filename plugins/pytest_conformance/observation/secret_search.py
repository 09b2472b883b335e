"""The profile's secrets and where they occur (LIFE-02); messages name a secret, never show it."""

from __future__ import annotations

from dataclasses import dataclass

from pytest_conformance.profile.sections import Profile


@dataclass(frozen=True)
class NamedSecret:
    label: str  # how messages name it: the profile key, never the value
    value: bytes


def configured_secrets(profile: Profile) -> tuple[NamedSecret, ...]:
    """``secrets`` and ``[jwt] secret`` of the profile (empty values left out)."""
    named = [
        NamedSecret(f"secrets[{index}]", secret.encode())
        for index, secret in enumerate(profile.secrets)
        if secret
    ]
    if profile.jwt.secret:
        named.append(NamedSecret("[jwt] secret", profile.jwt.secret.encode()))
    return tuple(named)


def found_secrets(data: bytes | str, secrets: tuple[NamedSecret, ...]) -> list[str]:
    """The labels of the secrets occurring in ``data``."""
    raw = data.encode() if isinstance(data, str) else data
    return [secret.label for secret in secrets if secret.value in raw]
