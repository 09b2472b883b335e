"""Logging in as one of the profile's users: the OAuth2 password form of AUTH-01, or the
JSON login the profile describes."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
from pytest_conformance import Profile, not_applicable, require, unmapped

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
    """The access token of a successful login: at ``[auth] token_pointer`` of the answer
    (``access_token`` by default), or in the profile's cookie."""
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
    pointer = profile.auth.token_pointer
    token = pointed(body, pointer)
    if not isinstance(token, str) or not token:
        mismatch(
            f"the login answer has no token at {pointer}",
            f"a non-empty string at the JSON pointer {pointer}",
            response,
        )
    return token


def pointed(document: Any, pointer: str) -> Any:
    """The value ``pointer`` (RFC 6901) names in ``document``; None when it names nothing."""
    node = document
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def login_body(template: Any, username: str, password: str) -> Any:
    """The profile's JSON login body with ``{username}`` and ``{password}`` filled in."""
    if isinstance(template, str):
        return template.replace("{username}", username).replace("{password}", password)
    if isinstance(template, dict):
        return {key: login_body(value, username, password) for key, value in template.items()}
    if isinstance(template, list):
        return [login_body(value, username, password) for value in template]
    return template


def post_login(
    client: httpx.Client, profile: Profile, username: str, password: str, path: str | None = None
) -> httpx.Response:
    """One login attempt as the profile describes the login: the OAuth2 password form (with
    the ``[auth] scopes`` it asks for), or the JSON body of ``[auth] login_body``."""
    path = path or profile.paths.token
    template = profile.auth.login_body
    if template is not None:
        return client.post(path, json=login_body(template, username, password))
    form = {"username": username, "password": password}
    scopes = asked_scopes(profile, username)
    if scopes:
        form["scope"] = " ".join(scopes)
    return client.post(path, data=form)


def asked_scopes(profile: Profile, username: str) -> tuple[str, ...]:
    """The scopes a password login as ``username`` asks for: its profile user's own
    ``scopes``, else ``[auth] scopes`` (a name no profile user has gets those too)."""
    own = next((user.scopes for user in profile.users.values() if user.username == username), None)
    return profile.auth.scopes if own is None else own


def form_login(profile: Profile) -> None:
    """For checks of the OAuth2 password form itself (RFC 6749 §4.3): not applicable to a
    target whose profile describes a JSON login."""
    __tracebackhide__ = True
    if profile.auth.json_login:
        not_applicable(
            "the profile describes a JSON login ([auth] login_body), not the OAuth2 password "
            "form this check tests"
        )


def request_token(
    client: httpx.Client, profile: Profile, username: str, password: str, path: str | None = None
) -> str:
    """A fresh token for these credentials (fails the check if the login is refused);
    ``path`` is the token endpoint when it is not the profile's ``[paths] token``."""
    __tracebackhide__ = True
    response = post_login(client, profile, username, password, path)
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
