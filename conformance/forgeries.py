"""AUTH-07's forged tokens, made once per run for AUTH-09 to send to every secured operation.

The claims are those of a genuine token of the profile's user (read unverified, ``exp``
moved forward), so that only the forgery decides; tokens that need what the run does not
have (a user, the secret, a registration) are left out, each with the reason.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_conformance import Profile, Target
from pytest_conformance.target_model import TargetModel

from conformance import tokens
from conformance.accounts import registered_user
from conformance.operation_calls import default_role, token_path
from conformance.session import shared_token
from conformance.signing_key import signing_key

LIFETIME = 600  # seconds a forged token claims to live


class _LeftOut(Exception):
    """This forgery cannot be made in this run."""


@dataclass(frozen=True)
class Battery:
    tokens: tuple[tuple[str, str], ...]  # (attack, token), in AUTH-07's order
    left_out: tuple[str, ...]  # "attack: why"


@dataclass(frozen=True)
class _Forge:
    target: Target
    profile: Profile
    genuine: str | None
    why_no_user: str

    def token(self) -> str:
        if self.genuine is None:
            raise _LeftOut(self.why_no_user)
        return self.genuine

    def claims(self, **changes: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {"sub": "conformance", "iat": now}
        if self.genuine is not None:
            claims = dict(tokens.read_unverified(self.genuine)[1])
        claims["exp"] = now + LIFETIME
        claims.update(changes)
        return {key: value for key, value in claims.items() if value is not None}

    def key(self) -> str:
        return _outcome(lambda: signing_key(self.target, self.profile))

    def signed(self, claims: dict[str, Any], algorithm: str | None = None) -> str:
        return tokens.sign_hmac(claims, self.key(), algorithm or self.profile.jwt.algorithm)


def _outcome(make: Callable[[], str]) -> str:
    """``make()``, a skip turned into a left-out reason."""
    try:
        return make()
    except pytest.skip.Exception as skipped:
        raise _LeftOut(str(skipped.msg)) from None


def ghost_subject(subject: Any) -> Any:
    """A subject of the same shape as ``subject`` that names nobody."""
    if isinstance(subject, int) and not isinstance(subject, bool):
        return 2_147_483_000
    try:
        uuid.UUID(str(subject))
    except ValueError:
        return f"ghost-{uuid.uuid4().hex[:8]}"
    return str(uuid.uuid4())


def _deleted_user(forge: _Forge) -> str:
    def make() -> str:
        with registered_user(forge.target, forge.profile) as account:
            token = account.token
        return token

    return _outcome(make)


def _other_hmac(forge: _Forge) -> str:
    others = [alg for alg in tokens.HMAC_HASHES if alg != forge.profile.jwt.algorithm]
    return forge.signed(forge.claims(), others[-1])


ATTACKS: dict[str, Callable[[_Forge], str]] = {
    # without the secret
    "tampered_payload": lambda f: tokens.tampered(f.token(), {"sub": "eve"}),
    "tampered_roles": lambda f: tokens.tampered(
        f.token(), {"roles": ["user", "admin", "superuser"]}
    ),
    "wrong_key": lambda f: tokens.sign_hmac(f.claims(), "not-the-key-" + uuid.uuid4().hex),
    "alg_none": lambda f: tokens.unsigned(f.claims()),
    "alg_none_with_signature": lambda f: tokens.unsigned(
        f.claims(), keep_signature_part=f.token().split(".")[2]
    ),
    "rs256_header": lambda f: tokens.sign_rs256(f.claims()),
    "garbage": lambda f: "not-a-jwt-" + uuid.uuid4().hex,
    "truncated": lambda f: f.token().rsplit(".", 1)[0],
    "deleted_user": _deleted_user,
    # with the secret
    "expired": lambda f: f.signed(
        f.claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)
    ),
    "no_sub": lambda f: f.signed(f.claims(sub=None)),
    "no_exp": lambda f: f.signed(f.claims(exp=None)),
    "unknown_sub": lambda f: f.signed(f.claims(sub=ghost_subject(f.claims().get("sub")))),
    "other_hmac_algorithm": _other_hmac,
}

_batteries: dict[str, Battery] = {}
_lock = threading.Lock()


def genuine_token(target: Target, profile: Profile, model: TargetModel | None) -> str:
    """The shared token of the profile's user (``default_role``); skips when there is none."""
    __tracebackhide__ = True
    with target.client() as client:
        return shared_token(client, profile, default_role(profile), token_path(profile, model))


def battery(target: Target, profile: Profile, model: TargetModel | None) -> Battery:
    """Every AUTH-07 forgery this run can make, made once per target (per process)."""
    key = str(target.base_url)
    with _lock:
        found = _batteries.get(key)
        if found is None:
            found = _batteries[key] = _forge_all(target, profile, model)
    return found


def _forge_all(target: Target, profile: Profile, model: TargetModel | None) -> Battery:
    genuine: str | None = None
    why_no_user = ""
    try:
        genuine = _outcome(lambda: genuine_token(target, profile, model))
        tokens.read_unverified(genuine)
    except _LeftOut as left_out:
        genuine, why_no_user = None, f"needs a token of the profile's user: {left_out}"
    except (ValueError, UnicodeDecodeError):
        genuine, why_no_user = None, "the profile user's token is not a JWT"
    except AssertionError as refused:  # the login itself is AUTH-01's to judge
        first_line = str(refused).splitlines()[0]
        genuine, why_no_user = None, f"the profile's user could not log in: {first_line}"
    forge = _Forge(target, profile, genuine, why_no_user)
    made: list[tuple[str, str]] = []
    left: list[str] = []
    for name, attack in ATTACKS.items():
        try:
            made.append((name, attack(forge)))
        except _LeftOut as left_out:
            left.append(f"{name}: {left_out}")
    return Battery(tuple(made), tuple(left))
