"""Logging in as one of the profile's users (the OAuth2 password form of AUTH-01)."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass

import httpx
from pytest_conformance import Profile, require, unmapped

from conformance import tokens
from conformance.assertions.describe import cannot_set_up, mismatch

RENEW_MARGIN = 30.0  # seconds before its expiry at which a shared token is renewed


@dataclass(frozen=True)
class _Shared:
    token: str
    expires: float  # time.time() after which the token must not be handed out


# Logins cost a slow password hash on the target: one token per (target, user) per run
# (per process under xdist), renewed before it expires. The suite never changes or deletes
# the accounts it logs in with, so no check can spoil another's token; a check that tests
# the login itself asks for a fresh one (``login(..., fresh=True)``).
_tokens: dict[tuple[str, str], _Shared] = {}
_lock = threading.Lock()


def token_expiry(token: str, fallback_seconds: float) -> float:
    """A JWT's ``exp``; for an opaque token (or a JWT without exp), now + ``fallback_seconds``."""
    try:
        expires = tokens.read_unverified(token)[1].get("exp")
    except (ValueError, UnicodeDecodeError):
        expires = None
    if isinstance(expires, int | float) and not isinstance(expires, bool):
        return float(expires)
    return time.time() + fallback_seconds


def bearer(token: str, profile: Profile) -> dict[str, str]:
    """The Authorization header carrying ``token`` in the profile's scheme (Bearer)."""
    return {"Authorization": f"{profile.auth.scheme} {token}"}


def token_of(response: httpx.Response, profile: Profile) -> str:
    """The access token of a successful login: ``access_token``, or the profile's cookie."""
    __tracebackhide__ = True
    cookie = profile.auth.token_cookie
    if cookie:
        token = response.cookies.get(cookie)
        if not token:
            mismatch("the login answer sets no token cookie", f"Set-Cookie: {cookie}=…", response)
        return str(token)
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        mismatch("the login answer has no access_token", '{"access_token": str}', response)
    return token


def request_token(
    client: httpx.Client, profile: Profile, username: str, password: str, path: str | None = None
) -> str:
    """A fresh token for these credentials (a setup error if the login is refused);
    ``path`` is the token endpoint when it is not the profile's ``[paths] token``."""
    __tracebackhide__ = True
    response = client.post(
        path or profile.paths.token, data={"username": username, "password": password}
    )
    if response.status_code != profile.auth.login_status:
        cannot_set_up(
            f"could not log in as {username!r}",
            f"{profile.auth.login_status} with a token",
            response,
        )
    return token_of(response, profile)


def login(client: httpx.Client, profile: Profile, role: str, *, fresh: bool = False) -> str:
    """An access token for the profile's user of ``role``; skips when the profile has none.

    Shared by every check of the run (renewed when it nears its expiry); ``fresh=True``
    really logs in and shares nothing.
    """
    __tracebackhide__ = True
    require(profile, "auth")
    return shared_token(client, profile, role, profile.paths.token, fresh=fresh)


def shared_token(
    client: httpx.Client, profile: Profile, role: str, path: str, *, fresh: bool = False
) -> str:
    """``login`` at a given token endpoint (the target model's, for a target the profile
    maps no ``[paths] token`` for)."""
    __tracebackhide__ = True
    credentials = profile.users.get(role)
    if credentials is None:
        unmapped(profile, f"the profile names no user for the role '{role}' ([users.{role}])")
    if fresh:
        return request_token(client, profile, credentials.username, credentials.password, path)
    key = (str(client.base_url), credentials.username)
    with _lock:
        shared = _tokens.get(key)
    if shared is None or time.time() > shared.expires - RENEW_MARGIN:
        token = request_token(client, profile, credentials.username, credentials.password, path)
        shared = _Shared(token, token_expiry(token, profile.jwt.lifetime_minutes * 60))
        with _lock:
            _tokens[key] = shared
    return shared.token
