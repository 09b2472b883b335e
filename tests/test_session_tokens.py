"""One token per role per run: shared, renewed before it expires, fresh when asked for."""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from pytest_conformance import Profile
from pytest_conformance.profile.sections import profile_from_mapping
from pytest_conformance.target_model.login import Login

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


def test_a_password_login_asks_for_its_users_scopes_else_the_shared_ones() -> None:
    profile = profile_from_mapping({
        "auth": {"scopes": ["me", "items"]},
        "users": {
            "admin": {"username": "ann", "password": "a", "scopes": ["me", "items", "admin"]},
            "user": {"username": "bob", "password": "b"},
        },
    }, "test")  # fmt: skip
    forms: list[dict[str, list[str]]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        forms.append(parse_qs(request.content.decode()))
        return httpx.Response(200, json={"access_token": "t", "token_type": "bearer"})

    with httpx.Client(transport=httpx.MockTransport(answer), base_url="http://t") as client:
        for username in ("ann", "bob", "nobody"):
            session.post_login(client, profile, username, "pw")
        session.post_login(client, profile_from_mapping({}, "test"), "bob", "pw")
    assert [form.get("scope") for form in forms] == [
        ["me items admin"],
        ["me items"],
        ["me items"],
        None,
    ]


def test_a_role_named_scope_is_asked_by_that_roles_user_alone() -> None:
    login = Login(kind="form", path="/token", scopes=("me", "admin", "items"))
    roles = frozenset({"admin", "user"})
    assert login.scopes_for("admin", roles) == ("me", "admin", "items")
    assert login.scopes_for("user", roles) == ("me", "items")
