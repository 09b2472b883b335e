"""AUTH-04/07/08, RBAC-01/07: hashing, token claims, rejected tokens."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from pathlib import Path

import pytest
from jose import jwt
from refapp_support import JWT_SECRET, bearer, client_for, make_settings, token_for

from reference_app import security
from reference_app.security import (
    InvalidTokenError,
    create_access_token,
    decode_access_token,
    hash_password,
    verify_password,
)

pytestmark = pytest.mark.anyio


def test_passwords_are_argon2_not_sha256() -> None:
    hashed = hash_password("secret")
    assert hashed.startswith("$argon2id$")
    assert hashed != hashlib.sha256(b"secret").hexdigest()
    assert hashed != hash_password("secret")  # salted
    assert verify_password("secret", hashed)
    assert not verify_password("Secret", hashed)
    assert not verify_password("secret", None)  # unknown user: dummy verify
    assert not verify_password("secret", "not-a-hash")


def test_token_claims_and_lifetime(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, jwt_expire_minutes=7)
    token = create_access_token("bob", ["user"], settings, now=1_000_000)
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    claims = jwt.get_unverified_claims(token)
    assert claims == {"sub": "bob", "roles": ["user"], "iat": 1_000_000, "exp": 1_000_420}


def _forge(claims: dict[str, object], key: str = JWT_SECRET, algorithm: str = "HS256") -> str:
    return str(jwt.encode(claims, key, algorithm=algorithm))


def _b64(data: dict[str, object]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _bad_tokens() -> dict[str, str]:
    now = int(time.time())
    good = {"sub": "bob", "roles": ["user"], "iat": now, "exp": now + 600}
    return {
        "expired": _forge({**good, "exp": now - 10}),
        "bad signature": _forge(good, key="k" * 48),
        "tampered": _forge(good).replace(_b64(good), _b64({**good, "roles": ["admin"]})),
        "hs384": _forge(good, algorithm="HS384"),
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(good)}.",
        "no sub": _forge({k: v for k, v in good.items() if k != "sub"}),
        "no exp": _forge({k: v for k, v in good.items() if k != "exp"}),
        "roles not a list": _forge({**good, "roles": "admin"}),
        "no roles": _forge({k: v for k, v in good.items() if k != "roles"}),
        "garbage": "not.a.token",
    }


@pytest.mark.parametrize("case", sorted(_bad_tokens()))
def test_decode_rejects_bad_tokens(tmp_path: Path, case: str) -> None:
    with pytest.raises(InvalidTokenError):
        decode_access_token(_bad_tokens()[case], make_settings(tmp_path))


async def test_bad_tokens_get_401_with_challenge(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        unknown_user = create_access_token("mallory", ["admin"], make_settings(tmp_path))
        for case, token in {**_bad_tokens(), "unknown user": unknown_user}.items():
            response = await client.get("/users/me", headers=bearer(token))
            assert response.status_code == 401, case
            assert response.json()["message"] == "Could not validate credentials", case
            assert response.headers["www-authenticate"].startswith("Bearer error="), case


async def test_profile_and_deleted_users_token(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        admin = await token_for(client, "alice", "secret")
        carol = await token_for(client, "carol", "carol-password")
        profile = await client.get("/profile", headers=bearer(carol))
        assert profile.json() == {"username": "carol", "roles": ["user", "analyst"]}
        me = await client.get("/users/me", headers=bearer(carol))
        assert me.json() == {"username": "carol"}
        deleted = await client.delete("/admin/users/3", headers=bearer(admin))
        assert deleted.json() == {"deleted": 3, "by": "alice"}
        again = await client.delete("/admin/users/3", headers=bearer(admin))
        assert again.status_code == 404 and again.json()["message"] == "User not found"
        gone = await client.get("/users/me", headers=bearer(carol))
        assert gone.status_code == 401
        no_token = await client.delete("/admin/users/1")
        assert no_token.status_code == 401


async def test_token_endpoint_wants_a_form(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.post("/token", json={"username": "bob", "password": "x"})
    assert response.status_code == 422
    assert response.json()["error_code"] == "VALIDATION_ERROR"


async def test_the_hash_cost_comes_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The running app hashes at its settings' cost; hashes of another cost still verify."""
    monkeypatch.setattr(security, "password_hash", security.password_hash)  # put back after
    shipped = hash_password("secret")
    assert "$m=19456,t=2,p=1$" in shipped  # OWASP's minimum, the default
    try:
        async with client_for(
            tmp_path, password_hash_time_cost=1, password_hash_memory_kib=1024
        ) as client:
            await token_for(client, "bob", "bob-password")  # seeded at that cost
            assert "$m=1024,t=1,p=1$" in hash_password("secret")
            assert verify_password("secret", shipped)
            assert not verify_password("secret", None)
    finally:
        security._dummy_hash.cache_clear()  # made at the lowered cost


async def test_seeding_is_idempotent(tmp_path: Path) -> None:
    for _ in range(2):
        async with client_for(tmp_path) as client:
            token = await token_for(client, "bob", "bob-password")
            assert (await client.get("/users/me", headers=bearer(token))).status_code == 200
