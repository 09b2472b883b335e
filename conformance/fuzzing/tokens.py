"""The fuzz run's bearer token: fetched from the token endpoint, renewed before it expires."""

from __future__ import annotations

import base64
import json
import threading
import time

from pytest_conformance import Profile, Target

from conformance.session import request_token

RENEW_MARGIN = 10.0  # seconds before ``exp`` at which a token is renewed


def expiry(token: str, fallback_seconds: float) -> float:
    """The token's ``exp`` (a JWT's claim), or now + ``fallback_seconds`` for an opaque token."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return time.time() + fallback_seconds


class TokenSource:
    """The profile's user of ``role``: one login, renewed when the token nears its expiry."""

    def __init__(self, target: Target, profile: Profile, role: str) -> None:
        self._target = target
        self._profile = profile
        self._role = role
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()
        self.logins = 0

    @property
    def available(self) -> bool:
        return self._profile.capabilities.auth and self._role in self._profile.users

    def token(self) -> str | None:
        if not self.available:
            return None
        with self._lock:
            if self._token is None or time.time() > self._expires - RENEW_MARGIN:
                credentials = self._profile.users[self._role]
                with self._target.client() as client:
                    self._token = request_token(
                        client, self._profile, credentials.username, credentials.password
                    )
                self._expires = expiry(self._token, self._profile.jwt.lifetime_minutes * 60)
                self.logins += 1
            return self._token
