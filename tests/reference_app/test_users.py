"""RBAC and registration in the reference app: the users router, reports, /register."""

from __future__ import annotations

from pathlib import Path

import pytest
from refapp_support import bearer, client_for, token_for

pytestmark = pytest.mark.anyio

FORM = {
    "username": "dana",
    "password": "correct-horse",
    "confirm_password": "correct-horse",
    "email": "dana@example.com",
}


async def test_users_router_is_admin_only_and_keeps_users_me(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        admin = bearer(await token_for(client, "alice", "secret"))
        user = bearer(await token_for(client, "bob", "bob-password"))
        listing = await client.get("/users/", headers=admin)
        assert listing.status_code == 200
        assert {u["username"] for u in listing.json()} >= {"alice", "bob", "carol"}
        assert set(listing.json()[0]) == {"id", "username", "email", "active"}
        assert (await client.get("/users/", headers=user)).status_code == 403
        assert (await client.get("/users/1", headers=user)).status_code == 403
        assert (await client.get("/users/1")).status_code == 401
        missing = await client.get("/users/999", headers=admin)
        assert (missing.status_code, missing.json()["message"]) == (404, "User not found")
        me = await client.get("/users/me", headers=user)
        assert (me.status_code, me.json()) == (200, {"username": "bob"})


@pytest.mark.parametrize(
    ("username", "password", "status"),
    [("alice", "secret", 200), ("carol", "carol-password", 200), ("bob", "bob-password", 403)],
)
async def test_reports_for_admins_and_analysts(
    tmp_path: Path, username: str, password: str, status: int
) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get(
            "/reports", headers=bearer(await token_for(client, username, password))
        )
    assert response.status_code == status
    if status == 200:
        assert response.json()["viewer"] == username
    else:
        assert response.json()["message"] == "Requires role(s): admin, analyst"


async def test_register_delete_and_lock_out(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        created = await client.post("/register", json=FORM)
        assert created.status_code == 201
        assert created.json() == {"id": created.json()["id"], "username": "dana",
                                  "email": "dana@example.com"}  # fmt: skip
        assert (await client.post("/register", json=FORM)).status_code == 409
        token = await token_for(client, "dana", "correct-horse")
        assert (await client.get("/profile", headers=bearer(token))).json()["roles"] == ["user"]
        admin = bearer(await token_for(client, "alice", "secret"))
        user_id = created.json()["id"]
        deleted = await client.delete(f"/admin/users/{user_id}", headers=admin)
        assert deleted.json() == {"deleted": user_id, "by": "alice"}
        assert (await client.delete(f"/admin/users/{user_id}", headers=admin)).status_code == 404
        locked_out = await client.get("/profile", headers=bearer(token))
        assert locked_out.status_code == 401
        assert 'error="invalid_token"' in locked_out.headers["www-authenticate"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"confirm_password": "other-password"}, "password and confirm_password must match"),
        ({"password": "xxDANAxx", "confirm_password": "xxDANAxx"},
         "password must not contain username"),
        ({"username": "da"}, None),
        ({"email": "not-an-email"}, None),
    ],
)  # fmt: skip
async def test_registration_validation(
    tmp_path: Path, change: dict[str, str], message: str | None
) -> None:
    async with client_for(tmp_path) as client:
        response = await client.post("/register", json={**FORM, **change})
    assert response.status_code == 422
    if message:
        assert any(message in entry["msg"] for entry in response.json()["details"])


async def test_token_answer_is_not_cached_and_challenges_differ(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        login = await client.post("/token", data={"username": "bob", "password": "bob-password"})
        assert login.headers["cache-control"] == "no-store"
        anonymous = await client.get("/users/me")
        assert anonymous.headers["www-authenticate"] == "Bearer"
        forged = await client.get("/users/me", headers=bearer("not-a-token"))
        assert forged.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
