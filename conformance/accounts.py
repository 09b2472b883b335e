"""Throw-away accounts: registered for one check, deleted by the admin afterwards (RBAC-07)."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
from pytest_conformance import Profile, Target, require

from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import json_body
from conformance.session import bearer, login, request_token


@dataclass(frozen=True)
class Account:
    id: int | str  # the template's users have UUIDs
    username: str
    password: str
    token: str


def registration_form(username: str, password: str) -> dict[str, str]:
    return {
        "username": username,
        "password": password,
        "confirm_password": password,
        "email": f"{username}@example.com",
    }


def register(client: httpx.Client, profile: Profile, username: str, password: str) -> int | str:
    """Register and return the new user's id (from the answer, else the admin's user list)."""
    __tracebackhide__ = True
    response = client.post(profile.paths.registration, json=registration_form(username, password))
    if response.status_code not in (200, 201):
        mismatch("registration refused", "200 or 201", response)
    user_id = json_body(response, "registration answer").get("id")
    if isinstance(user_id, int | str) and not isinstance(user_id, bool) and user_id != "":
        return user_id
    admin = bearer(login(client, profile, "admin"), profile)
    listing = client.get(profile.paths.users_list, headers=admin)
    for entry in listing.json() if listing.status_code == 200 else []:
        if isinstance(entry, dict) and entry.get("username") == username:
            found = entry.get("id")
            if isinstance(found, int | str) and not isinstance(found, bool):
                return found
    mismatch(
        "the registered user is neither in the answer nor in the user list",
        f"an id for {username!r}",
        listing,
    )


def delete_user(client: httpx.Client, profile: Profile, user_id: int | str) -> httpx.Response:
    path = profile.paths.admin_delete_user.format(user_id=user_id)
    return client.delete(path, headers=bearer(login(client, profile, "admin"), profile))


@contextlib.contextmanager
def registered_user(target: Target, profile: Profile) -> Iterator[Account]:
    """A fresh user with a valid token; the admin deletes it when the block ends."""
    require(profile, "registration")
    username = f"conf{secrets.token_hex(6)}"
    password = f"Pw-{secrets.token_urlsafe(12)}"
    with target.client() as client:
        user_id = register(client, profile, username, password)
        token = request_token(client, profile, username, password)
        try:
            yield Account(user_id, username, password, token)
        finally:
            delete_user(client, profile, user_id)
