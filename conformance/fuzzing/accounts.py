"""The accounts the suite logs in with are never the subject of a mutating request.

Two guards. The "me" operations (a path ending in ``/me`` or holding a ``/me/`` segment, or
the profile's ``users_me``) are left out of fuzzing for every method but GET, HEAD and
OPTIONS. And a mutating request whose path names one of the suite's accounts — its id or
username as the profile's ``users_me`` answers them, read once at the start — is not sent:
neither a generated case nor a stateful step that took the id from a ``/me`` answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx
from pytest_conformance import Profile, Target

from conformance.session import bearer, post_login, token_of

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
ID_FIELDS = ("id", "user_id", "uuid", "username", "email")


def me_path(profile: Profile) -> str:
    """The profile's ``users_me``; '' when it maps none (``contract = "none"``): the fuzz
    runs all the same, and knows the "me" operations by their paths alone."""
    paths = profile.paths
    return paths.users_me if paths.is_mapped("users_me") else ""


def is_me_path(path: str, profile: Profile) -> bool:
    """Whether ``path`` (a document template or a URL path) is the caller's own account."""
    trimmed = path.rstrip("/")
    me = me_path(profile).split("?", 1)[0].rstrip("/")
    return "/me/" in trimmed + "/" or (bool(me) and trimmed == me)


def mutating(method: str) -> bool:
    return method.upper() not in SAFE_METHODS


def left_out(profile: Profile, method: str, path: str) -> bool:
    """A "me" operation that changes something: never fuzzed."""
    return mutating(method) and is_me_path(path, profile)


class Accounts:
    """What names the suite's own accounts (ids and usernames), to keep them out of reach."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self.names = {str(name) for name in names if str(name)}
        self.spared = 0  # mutating requests not sent because they named one of them

    @classmethod
    def of(cls, target: Target, profile: Profile) -> Accounts:
        """Log in as each of the profile's users and read who ``users_me`` says they are."""
        names: set[str] = set()
        for credentials in profile.users.values():
            names.add(credentials.username)
            if profile.capabilities.auth:
                names.update(_own_ids(target, profile, credentials.username, credentials.password))
        return cls(names)

    def names_one(self, method: str, path_parameters: dict[str, Any] | None) -> bool:
        """Whether a ``method`` request with these path parameters would touch our accounts."""
        if not mutating(method) or not path_parameters:
            return False
        return any(str(value) in self.names for value in path_parameters.values())

    def spare(self, case: Any) -> bool:
        """True (and counted) when the case must not be sent."""
        if self.names_one(str(case.method), case.path_parameters):
            self.spared += 1
            return True
        return False


def _own_ids(target: Target, profile: Profile, username: str, password: str) -> set[str]:
    """The identifying fields ``users_me`` answers for this user (empty when it cannot tell,
    or the profile maps no ``users_me``)."""
    me = me_path(profile)
    if not me:
        return set()
    try:
        with target.client(observed=False) as client:  # not a check's exchange
            login = post_login(client, profile, username, password)
            if login.status_code != profile.auth.login_status:
                return set()
            token = token_of(login, profile)
            answer = client.get(me, headers=bearer(token, profile))
        body = answer.json() if answer.status_code == 200 else None
    except (httpx.HTTPError, ValueError, AssertionError):
        return set()
    if not isinstance(body, dict):
        return set()
    return {str(body[key]) for key in ID_FIELDS if isinstance(body.get(key), (str, int))}
