"""Logging in as one of the profile's users (the OAuth2 password form of AUTH-01)."""

from __future__ import annotations

import httpx
import pytest
from pytest_conformance import Profile

from conformance.assertions.describe import mismatch


def login(client: httpx.Client, profile: Profile, role: str) -> str:
    """An access token for the profile's user of ``role``; skips when the profile has none."""
    __tracebackhide__ = True
    credentials = profile.users.get(role)
    if credentials is None:
        pytest.skip(f"the profile names no user for the role '{role}' ([users.{role}])")
    response = client.post(
        profile.paths.token,
        data={"username": credentials.username, "password": credentials.password},
    )
    if response.status_code != 200:
        mismatch(f"could not log in as the profile's '{role}' user", "200 with a token", response)
    token = response.json().get("access_token")
    if not isinstance(token, str) or not token:
        mismatch("the login answer has no access_token", '{"access_token": str}', response)
    return token
