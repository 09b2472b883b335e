"""The target's JWT signing key, for the forged-token attacks that need it (AUTH-07, RBAC-01).

From the profile's ``[jwt] secret``, else from the variable ``[jwt] secret_env`` names
(default ``JWT_SECRET_KEY``): the environment first, then a ``.env`` file in the current
directory — where an app run in-process reads it. A key found that way is used only once
it is proven to be the target's: it must verify the signature of a token the target
issued. So a variable meant for another app (a developer's shell, another project's
``.env``) never makes a correct target fail: its checks skip and say why.

The key itself is never shown: messages name where it came from, never its value.
"""

from __future__ import annotations

import hmac
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_conformance import Profile, Target

from conformance import tokens
from conformance.session import login

ENV_FILE = ".env"


@dataclass(frozen=True)
class _Found:
    key: str
    source: str  # "$NAME" or "NAME in ./.env"


_lock = threading.Lock()
_verified: dict[tuple[str, str], str | None] = {}  # (base URL, source) → key or why not


def env_file_value(path: Path, name: str) -> str | None:
    """``NAME=value`` from a dotenv file (``export``, quotes and comments allowed)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    found = None
    for raw in lines:
        line = raw.strip()
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        if not sep or key.strip() != name:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        found = value  # the last assignment wins, as in python-dotenv
    return found


def _from_environment(name: str) -> _Found | None:
    value = os.environ.get(name)
    if value:
        return _Found(value, f"${name}")
    value = env_file_value(Path.cwd() / ENV_FILE, name)
    if value:
        return _Found(value, f"{name} in ./{ENV_FILE}")
    return None


def signs(token: str, key: str) -> bool:
    """Whether ``key`` produced the HMAC signature of ``token``."""
    try:
        header, _ = tokens.read_unverified(token)
        signing_input, signature = token.rsplit(".", 1)
        digest = tokens.HMAC_HASHES[str(header.get("alg"))]
        expected = hmac.new(key.encode(), signing_input.encode(), digest).digest()
        return hmac.compare_digest(expected, tokens.b64url_decode(signature))
    except (KeyError, ValueError, TypeError):
        return False


def signing_key(target: Target, profile: Profile) -> str:
    """The HMAC key forged tokens are signed with; skips (with the reason) when unknown."""
    jwt = profile.jwt
    if not jwt.algorithm.startswith("HS"):
        pytest.skip(f"forging needs an HMAC algorithm; the profile says {jwt.algorithm}")
    if jwt.secret:
        return jwt.secret
    if not jwt.secret_env:
        pytest.skip("needs the target's JWT secret: set [jwt] secret (or [jwt] secret_env)")
    found = _from_environment(jwt.secret_env)
    if found is None:
        pytest.skip(
            f"needs the target's JWT secret: set [jwt] secret, or {jwt.secret_env} in the "
            f"environment or in ./{ENV_FILE} ([jwt] secret_env)"
        )
    cache_key = (str(target.base_url), found.source)
    with _lock:
        known = cache_key in _verified
        verdict = _verified.get(cache_key)
    if not known:
        verdict = _verify(target, profile, found)
        with _lock:
            _verified[cache_key] = verdict
    if verdict is None:
        pytest.skip(
            f"the key in {found.source} does not sign the target's tokens (it belongs to "
            "another app?): set [jwt] secret or [jwt] secret_env to the target's"
        )
    return verdict


def _verify(target: Target, profile: Profile, found: _Found) -> str | None:
    role = next(iter(profile.users), None)
    if role is None:
        pytest.skip(
            f"cannot tell whether the key in {found.source} is the target's: the profile "
            "names no user to log in with ([users.<role>])"
        )
    with target.client() as client:
        token = login(client, profile, role)
    return found.key if signs(token, found.key) else None
