"""Password hashing, JWT access tokens and the default users (AUTH, RBAC)."""

from __future__ import annotations

import functools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from jose import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reference_app.models import User
from reference_app.settings import Settings

# Argon2id, by default with OWASP's recommended minimum (Password Storage Cheat Sheet: 19 MiB,
# two passes, one lane): slow, salted, constant-time verify. pwdlib's default (RFC 9106's
# 64 MiB, three passes, four lanes) costs ten times as much per login on a small machine,
# where the four lanes cannot run in parallel anyway. Hashes stored with other parameters
# still verify. One hasher per process: the app built last sets its cost (``use_hash_cost``).
password_hash = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),))


def use_hash_cost(time_cost: int, memory_kib: int) -> None:
    """New hashes (and the unknown user's dummy verification) cost this from now on."""
    global password_hash
    password_hash = PasswordHash(
        (Argon2Hasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1),)
    )
    _dummy_hash.cache_clear()


def hash_password(password: str) -> str:
    return password_hash.hash(password)


@functools.cache
def _dummy_hash() -> str:
    """Hashed at the current cost, so an unknown user's verification costs a known one's."""
    return password_hash.hash("dummy password for unknown users")


def verify_password(password: str, hashed: str | None) -> bool:
    """Check a password; an unknown user (``hashed=None``) costs the same time."""
    if hashed is None:
        password_hash.verify(password, _dummy_hash())
        return False
    try:
        return password_hash.verify(password, hashed)
    except Exception:  # a corrupt stored hash must not become a 500
        return False


async def verify_password_async(password: str, hashed: str | None) -> bool:
    """Argon2 is CPU-bound: keep it off the event loop."""
    return await anyio.to_thread.run_sync(verify_password, password, hashed)


class InvalidTokenError(Exception):
    """Any reason a bearer token can not be trusted."""


CLOCK_SKEW_SECONDS = 60  # an iat this far ahead of our clock is still believed


@dataclass(frozen=True)
class TokenClaims:
    subject: str
    roles: tuple[str, ...]


def create_access_token(
    username: str, roles: Sequence[str], settings: Settings, now: float | None = None
) -> str:
    issued_at = int(time.time() if now is None else now)
    claims: dict[str, Any] = {
        "sub": username,
        "roles": list(roles),
        "iat": issued_at,
        "exp": issued_at + settings.jwt_expire_minutes * 60,
    }
    key = settings.jwt_secret_key.get_secret_value()
    return str(jwt.encode(claims, key, algorithm=settings.jwt_algorithm))


def decode_access_token(token: str, settings: Settings) -> TokenClaims:
    """Verify signature, algorithm and expiry; require ``sub``, ``exp`` and ``roles``."""
    key = settings.jwt_secret_key.get_secret_value()
    try:
        payload = jwt.decode(
            token,
            key,
            algorithms=[settings.jwt_algorithm],  # never trust the token's own "alg"
            options={"require_exp": True, "require_sub": True},
        )
    except Exception as exc:  # jose raises several types for hostile input
        raise InvalidTokenError("token rejected") from exc
    reject_future_iat(payload)
    subject = payload.get("sub")
    roles = payload.get("roles")
    if not isinstance(subject, str) or not subject:
        raise InvalidTokenError("bad sub")
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise InvalidTokenError("bad roles")
    return TokenClaims(subject=subject, roles=tuple(roles))


def reject_future_iat(payload: dict[str, Any]) -> None:
    """A token issued in the future is not yet valid (AUTH-10; jose checks nbf, not iat)."""
    issued_at = payload.get("iat")
    if isinstance(issued_at, int | float) and issued_at > time.time() + CLOCK_SKEW_SECONDS:
        raise InvalidTokenError("issued in the future")


@dataclass(frozen=True)
class DefaultUser:
    username: str
    password: str
    roles: tuple[str, ...]


DEFAULT_USERS: tuple[DefaultUser, ...] = (
    DefaultUser("alice", "secret", ("user", "admin")),
    DefaultUser("bob", "bob-password", ("user",)),
    DefaultUser("carol", "carol-password", ("user", "analyst")),
)


async def seed_users(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Create the default users that are missing; safe to run on every startup."""
    for default in DEFAULT_USERS:
        async with sessionmaker() as session:
            found = await session.scalar(select(User.id).where(User.username == default.username))
            if found is not None:
                continue
            hashed = await anyio.to_thread.run_sync(hash_password, default.password)
            session.add(
                User(
                    username=default.username,
                    email=f"{default.username}@example.com",
                    hashed_password=hashed,
                    roles=list(default.roles),
                    active=True,
                )
            )
            try:
                await session.commit()
            except IntegrityError:  # another worker seeded it first
                await session.rollback()
