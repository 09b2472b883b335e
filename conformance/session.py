"""Logging in as one of the profile's users (the OAuth2 password form of AUTH-01)."""

from __future__ import annotations

import json
import threading

import httpx
from pytest_conformance import Profile, require, unmapped

from conformance.assertions.describe import mismatch

# Logins cost a slow password hash on the target: one token per (target, user) per run.
_tokens: dict[tuple[str, str], str] = {}
_lock = threading.Lock()


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


def request_token(client: httpx.Client, profile: Profile, username: str, password: str) -> str:
    """A fresh token for these credentials (fails the check if the login is refused)."""
    __tracebackhide__ = True
    response = client.post(profile.paths.token, data={"username": username, "password": password})
    if response.status_code != profile.auth.login_status:
        mismatch(
            f"could not log in as {username!r}",
            f"{profile.auth.login_status} with a token",
            response,
        )
    return token_of(response, profile)


def login(client: httpx.Client, profile: Profile, role: str) -> str:
    """An access token for the profile's user of ``role``; skips when the profile has none."""
    __tracebackhide__ = True
    require(profile, "auth")
    credentials = profile.users.get(role)
    if credentials is None:
        unmapped(profile, f"the profile names no user for the role '{role}' ([users.{role}])")
    key = (str(client.base_url), credentials.username)
    with _lock:
        cached = _tokens.get(key)
    if cached is None:
        cached = request_token(client, profile, credentials.username, credentials.password)
        with _lock:
            _tokens[key] = cached
    return cached
