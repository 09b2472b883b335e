"""Framework-free pieces of the test targets: users, password hashes, JWTs, an item store.

Neither target imports the reference app; the Starlette one imports no FastAPI either.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from jose import JWTError, jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

# OWASP's Argon2id minimum, as the reference app uses (reference_app/security.py)
_hasher = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),))
_DUMMY_HASH = _hasher.hash("a password nobody has")


@dataclass(frozen=True)
class User:
    username: str
    password_hash: str
    roles: tuple[str, ...]


def make_users(credentials: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, User]:
    """``{username: (password, roles)}`` → users with slow salted hashes."""
    return {
        name: User(name, _hasher.hash(password), roles)
        for name, (password, roles) in credentials.items()
    }


def authenticate(users: dict[str, User], username: str, password: str) -> User | None:
    """The user if the password matches; unknown users cost a verification too (AUTH-08)."""
    user = users.get(username)
    if user is None:
        _hasher.verify(password, _DUMMY_HASH)
        return None
    return user if _hasher.verify(password, user.password_hash) else None


@dataclass(frozen=True)
class Tokens:
    secret: str
    lifetime_minutes: int

    def issue(self, user: User) -> str:
        now = int(time.time())
        claims = {"sub": user.username, "roles": list(user.roles), "iat": now,
                  "exp": now + self.lifetime_minutes * 60}  # fmt: skip
        return str(jwt.encode(claims, self.secret, algorithm="HS256"))

    def user_of(self, users: dict[str, User], token: str) -> User | None:
        """The token's user, or None for any token that is not valid, complete and current."""
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                options={"require_exp": True, "require_sub": True},
            )
        except JWTError:
            return None
        if claims.get("iat", 0) > time.time() + 60:  # jose checks nbf but not iat (AUTH-10)
            return None
        subject = claims.get("sub")
        return users.get(subject) if isinstance(subject, str) else None


@dataclass
class ItemStore:
    """Items by id, ascending; safe for the threads of a served app."""

    items: dict[int, dict[str, Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, name: str, price: float, description: str | None) -> dict[str, Any]:
        with self._lock:
            item_id = next(self._ids)
            item = {"id": item_id, "name": name, "price": price, "description": description}
            self.items[item_id] = item
            return dict(item)

    def get(self, item_id: int) -> dict[str, Any] | None:
        with self._lock:
            item = self.items.get(item_id)
            return dict(item) if item else None

    def update(self, item_id: int, changes: dict[str, Any]) -> dict[str, Any] | None:
        with self._lock:
            item = self.items.get(item_id)
            if item is None:
                return None
            item.update(changes)
            return dict(item)

    def delete(self, item_id: int) -> bool:
        with self._lock:
            return self.items.pop(item_id, None) is not None

    def page(self, skip: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        with self._lock:
            ordered = [self.items[key] for key in sorted(self.items)]
            return [dict(item) for item in ordered[skip : skip + limit]], len(ordered)

    def after(self, last_id: int, limit: int) -> tuple[list[dict[str, Any]], bool]:
        """Keyset page: up to ``limit`` items with an id above ``last_id``; whether more follow."""
        with self._lock:
            ids = sorted(key for key in self.items if key > last_id)
            return [dict(self.items[key]) for key in ids[:limit]], len(ids) > limit


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"x-xss-protection", b"1; mode=block"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]


class SecurityHeaders:
    """Pure ASGI: MW-01's headers on every HTTP response, streams included."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)
