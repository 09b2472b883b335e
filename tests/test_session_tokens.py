"""One token per role per run: shared, renewed before it expires, fresh when asked for."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import pytest
from pytest_conformance import Profile

from conformance import session


def _jwt(exp: float, n: int) -> str:
    claims = json.dumps({"exp": exp, "n": n}).encode()
    payload = base64.urlsafe_b64encode(claims).decode().rstrip("=")
    return f"eyJhbGciOiJIUzI1NiJ9.{payload}.c2ln"


@pytest.fixture
def issued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Usernames logged in as; the first token of each test expires within the margin."""
    logins: list[str] = []

    def request_token(
        client: Any, profile: Profile, username: str, password: str, path: str | None = None
    ) -> str:
        logins.append(username)
        lifetime = session.RENEW_MARGIN / 2 if len(logins) == 1 else 3600
        return _jwt(time.time() + lifetime, len(logins))

    monkeypatch.setattr(session, "request_token", request_token)
    monkeypatch.setattr(session, "_tokens", {})
    return logins


def test_shared_token_renewed_before_it_expires(issued: list[str]) -> None:
    with httpx.Client(base_url="http://shared.test") as client:
        first = session.login(client, Profile(), "admin")  # expires within the margin
        second = session.login(client, Profile(), "admin")  # so this one logs in again
        third = session.login(client, Profile(), "admin")  # and this one is shared
    assert issued == ["alice", "alice"]
    assert first != second == third


def test_fresh_login_is_never_shared(issued: list[str]) -> None:
    with httpx.Client(base_url="http://fresh.test") as client:
        session.login(client, Profile(), "admin")
        shared = session.login(client, Profile(), "admin")
        fresh = session.login(client, Profile(), "admin", fresh=True)
        again = session.login(client, Profile(), "admin")
    assert len(issued) == 3
    assert fresh != shared == again


def test_one_token_per_target_and_user(issued: list[str]) -> None:
    profile = Profile()
    with (
        httpx.Client(base_url="http://one.test") as one,
        httpx.Client(base_url="http://two.test") as two,
    ):
        session.login(one, profile, "admin")  # expires within the margin
        session.login(one, profile, "user")
        session.login(one, profile, "user")
        session.login(two, profile, "user")
    assert issued == ["alice", "bob", "bob"]  # bob once per target


def test_token_expiry_of_opaque_tokens_falls_back() -> None:
    assert session.token_expiry(_jwt(1234.0, 1), 60) == 1234.0
    assert abs(session.token_expiry("opaque", 60) - (time.time() + 60)) < 5
