"""RBAC — roles in claims (SPEC.md, tutorial Examples 32 and 45).

The matrix checks read the profile's ``protected_routes`` table, so a team whose admin
routes live elsewhere describes them there and runs the same matrix.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from pytest_conformance import Profile, Target, check, require, unmapped
from pytest_conformance.profile.sections import ProtectedRoute
from pytest_conformance.target_model import Collection, TargetModel

from conformance import tokens
from conformance.accounts import delete_user, registered_user, registration_form
from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import assert_envelope, assert_message, json_body
from conformance.object_access import assert_items_stay_with_creator
from conformance.session import bearer, login
from conformance.signing_key import signing_key

ROLES = ["admin", "user", "analyst"]
ABSENT_ID = 987654321


def _claimed_roles(token: str) -> list[str]:
    try:
        roles = tokens.read_unverified(token)[1].get("roles")
    except (ValueError, UnicodeDecodeError):
        return []
    return [role for role in roles if isinstance(role, str)] if isinstance(roles, list) else []


def _call(client: httpx.Client, route: ProtectedRoute, headers: dict[str, str]) -> httpx.Response:
    return client.request(route.method, route.path.format(user_id=ABSENT_ID), headers=headers)


def _assert_matrix(check_id: str, role: str, client: httpx.Client, profile: Profile) -> None:
    """Every route of ``check_id`` in the table: 401 without a token, then allowed or 403."""
    __tracebackhide__ = True
    require(profile, "auth", "rbac")
    rows = [row for row in profile.protected_routes if row.check == check_id]
    if not rows:
        unmapped(profile, f"the profile's protected_routes table has no row for {check_id}")
    token = login(client, profile, role)
    held = set(_claimed_roles(token)) | {role}
    for row in rows:
        where = f"{row.method} {row.path}"
        anonymous = _call(client, row, {})
        if anonymous.status_code != profile.auth.unauthenticated_status:
            mismatch(
                f"{where} without a token (authentication before authorization)",
                f"status {profile.auth.unauthenticated_status}",
                anonymous,
            )
        response = _call(client, row, bearer(token, profile))
        allowed = not row.roles or bool(held & set(row.roles))
        denied = {profile.auth.unauthenticated_status, profile.auth.forbidden_status}
        if allowed and (response.status_code in denied or response.status_code >= 500):
            mismatch(
                f"{where} as {role} {sorted(held)}, who holds one of {list(row.roles)}",
                "allowed (not 401/403/5xx)",
                response,
            )
        if not allowed and response.status_code != profile.auth.forbidden_status:
            mismatch(
                f"{where} as {role} {sorted(held)}, who lacks {list(row.roles)}",
                f"status {profile.auth.forbidden_status}",
                response,
            )


@check("RBAC-01", "the token carries the roles claim", ref="Ex 32", needs=("auth", "rbac"))
@pytest.mark.parametrize("role", ROLES)
def test_roles_claim(role: str, client: httpx.Client, conformance_profile: Profile) -> None:
    token = login(client, conformance_profile, role)
    _, payload = tokens.read_unverified(token)
    roles = payload.get("roles")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        response = client.get(
            conformance_profile.paths.profile, headers=bearer(token, conformance_profile)
        )
        mismatch(f"the {role} token's roles claim is {roles!r}", '"roles": [str, ...]', response)
    if role not in roles:
        response = client.get(
            conformance_profile.paths.profile, headers=bearer(token, conformance_profile)
        )
        mismatch(f"the {role} user's token lacks its role", f"{role!r} in {roles}", response)


def _signed(target: Target, profile: Profile, **claims: Any) -> str:
    key = signing_key(target, profile)
    now = int(time.time())
    payload = {"sub": profile.users["user"].username, "iat": now, "exp": now + 600, **claims}
    return tokens.sign_hmac(payload, key, profile.jwt.algorithm)


@check(
    "RBAC-01", "a malformed roles claim is a 401", ref="Ex 32; RFC 7519 §4", needs=("auth", "rbac")
)
@pytest.mark.parametrize(
    "roles", [pytest.param("admin", id="string"), pytest.param([1, 2], id="numbers")]
)
def test_malformed_roles_claim(
    roles: object, target: Target, client: httpx.Client, conformance_profile: Profile
) -> None:
    if "user" not in conformance_profile.users:
        unmapped(conformance_profile, "the profile names no plain user ([users.user])")
    token = _signed(target, conformance_profile, roles=roles)
    response = client.get(
        conformance_profile.paths.profile, headers=bearer(token, conformance_profile)
    )
    if response.status_code != conformance_profile.auth.invalid_token_status:
        mismatch(
            f"a token whose roles claim is {roles!r}",
            f"status {conformance_profile.auth.invalid_token_status}",
            response,
        )


@check("RBAC-01", "authorization follows the roles claim", ref="Ex 32", needs=("auth", "rbac"))
def test_decisions_use_claim(
    target: Target, client: httpx.Client, conformance_profile: Profile
) -> None:
    if "user" not in conformance_profile.users:
        unmapped(conformance_profile, "the profile names no plain user ([users.user])")
    token = _signed(target, conformance_profile, roles=["user", "admin"])
    response = client.get(
        conformance_profile.paths.users_list, headers=bearer(token, conformance_profile)
    )
    if response.status_code != 200:
        mismatch(
            "a validly signed token claiming admin was not let in",
            "200 (the decision uses the token's roles claim)",
            response,
        )


@check(
    "RBAC-02", "/profile shows the user and the token's roles", ref="Ex 32", needs=("auth", "rbac")
)
@pytest.mark.parametrize("role", ROLES)
def test_profile(role: str, client: httpx.Client, conformance_profile: Profile) -> None:
    token = login(client, conformance_profile, role)
    response = client.get(
        conformance_profile.paths.profile, headers=bearer(token, conformance_profile)
    )
    body = json_body(response, "profile") if response.status_code == 200 else {}
    expected = {
        "username": conformance_profile.users[role].username,
        "roles": sorted(_claimed_roles(token)),
    }
    roles = body.get("roles")
    got = {
        "username": body.get("username"),
        "roles": sorted(roles) if isinstance(roles, list) else roles,
    }
    if got != expected:
        mismatch("GET /profile", f"200 {expected} (any order of roles)", response)


@check("RBAC-02", "every authenticated role reaches its routes", ref="Ex 32")
@pytest.mark.parametrize("role", ROLES)
def test_rbac02_matrix(role: str, client: httpx.Client, conformance_profile: Profile) -> None:
    _assert_matrix("RBAC-02", role, client, conformance_profile)


def _forbidden(profile: Profile, roles: str) -> str:
    return profile.messages.forbidden.format(roles=roles)


def _assert_forbidden(response: httpx.Response, profile: Profile, message: str) -> None:
    __tracebackhide__ = True
    if response.status_code != profile.auth.forbidden_status:
        mismatch("a user without the role", f"status {profile.auth.forbidden_status}", response)
    envelope = assert_envelope(response, profile.envelope)
    assert_message(envelope, message, response, "the 403's message names the roles needed")


@check("RBAC-03", "the admin delete route needs admin, after authentication", ref="Ex 32")
@pytest.mark.parametrize("role", ROLES)
def test_rbac03_matrix(role: str, client: httpx.Client, conformance_profile: Profile) -> None:
    _assert_matrix("RBAC-03", role, client, conformance_profile)


@check("RBAC-03", "a non-admin is told which role is needed", ref="Ex 32", needs=("auth", "rbac"))
def test_admin_delete_forbidden(client: httpx.Client, conformance_profile: Profile) -> None:
    token = login(client, conformance_profile, "user")
    path = conformance_profile.paths.admin_delete_user.format(user_id=ABSENT_ID)
    response = client.delete(path, headers=bearer(token, conformance_profile))
    _assert_forbidden(response, conformance_profile, _forbidden(conformance_profile, "admin"))


@check("RBAC-04", "reports are for admins or analysts", ref="Ex 32")
@pytest.mark.parametrize("role", ROLES)
def test_rbac04_matrix(role: str, client: httpx.Client, conformance_profile: Profile) -> None:
    _assert_matrix("RBAC-04", role, client, conformance_profile)


@check("RBAC-04", "the reports body and its 403", ref="Ex 32", needs=("auth", "rbac"))
@pytest.mark.parametrize("role", ROLES)
def test_reports(role: str, client: httpx.Client, conformance_profile: Profile) -> None:
    token = login(client, conformance_profile, role)
    response = client.get(
        conformance_profile.paths.reports, headers=bearer(token, conformance_profile)
    )
    if role == "user":
        _assert_forbidden(
            response, conformance_profile, _forbidden(conformance_profile, "admin, analyst")
        )
        return
    body = json_body(response, "reports") if response.status_code == 200 else {}
    viewer = conformance_profile.users[role].username
    if not isinstance(body.get("reports"), list) or body.get("viewer") != viewer:
        mismatch("GET /reports", f'200 {{"reports": [...], "viewer": "{viewer}"}}', response)


@check("RBAC-05", "every route of the users router needs admin", ref="Ex 45")
@pytest.mark.parametrize("role", ROLES)
def test_rbac05_matrix(role: str, client: httpx.Client, conformance_profile: Profile) -> None:
    _assert_matrix("RBAC-05", role, client, conformance_profile)


USER_FIELDS = {"id", "username", "email", "active"}


@check("RBAC-05", "the admin lists users and reads one", ref="Ex 45", needs=("auth", "rbac"))
def test_users_router(client: httpx.Client, conformance_profile: Profile) -> None:
    admin = bearer(login(client, conformance_profile, "admin"), conformance_profile)
    listing = client.get(conformance_profile.paths.users_list, headers=admin)
    users = listing.json() if listing.status_code == 200 else None
    if not isinstance(users, list) or not all(
        isinstance(u, dict) and set(u) >= USER_FIELDS for u in users
    ):
        mismatch("GET /users/ as admin", "200 [{id, username, email, active}, ...]", listing)
    name = conformance_profile.users["admin"].username
    mine = [u for u in users if u["username"] == name]
    if not mine:
        mismatch("the admin is missing from the user list", f"an entry for {name!r}", listing)
    one = client.get(
        conformance_profile.paths.user_item.format(user_id=mine[0]["id"]), headers=admin
    )
    if one.status_code != 200 or json_body(one, "user").get("username") != name:
        mismatch("GET /users/{id} as admin", f"200 with username {name!r}", one)
    missing = client.get(
        conformance_profile.paths.user_item.format(user_id=ABSENT_ID), headers=admin
    )
    if missing.status_code != 404:
        mismatch("GET /users/{id} for an unknown id", "status 404", missing)
    envelope = assert_envelope(missing, conformance_profile.envelope)
    wanted = conformance_profile.messages.user_not_found
    assert_message(envelope, wanted, missing, "GET /users/{id} for an unknown id")


@check("RBAC-06", "/users/me stays reachable by every user", ref="Ex 45")
@pytest.mark.parametrize("role", ROLES)
def test_rbac06_matrix(role: str, client: httpx.Client, conformance_profile: Profile) -> None:
    _assert_matrix("RBAC-06", role, client, conformance_profile)


@check(
    "RBAC-07",
    "a registered user is created, deleted by an admin, and locked out",
    ref="SPEC RBAC-07 (extension)",
    needs=("auth", "rbac"),
)
def test_register_then_delete(target: Target, conformance_profile: Profile) -> None:
    with registered_user(target, conformance_profile) as account, target.client() as client:
        profile_path = conformance_profile.paths.profile
        me = client.get(profile_path, headers=bearer(account.token, conformance_profile))
        if me.status_code != 200:
            mismatch("the new user's token does not work", f"200 from {profile_path}", me)
        deleted = delete_user(client, conformance_profile, account.id)
        admin_name = conformance_profile.users["admin"].username
        expected = {"deleted": account.id, "by": admin_name}
        if deleted.status_code != 200 or json_body(deleted, "delete answer") != expected:
            mismatch("DELETE /admin/users/{id} as admin", f"200 {expected}", deleted)
        again = delete_user(client, conformance_profile, account.id)
        if again.status_code != 404:
            mismatch("deleting the same user twice", "404", again)
        after = client.get(profile_path, headers=bearer(account.token, conformance_profile))
        if after.status_code != conformance_profile.auth.invalid_token_status:
            mismatch(
                "the deleted user's token still works",
                f"status {conformance_profile.auth.invalid_token_status}",
                after,
            )


@check(
    "RBAC-07",
    "a taken username is a 409",
    ref="SPEC RBAC-07 (extension); RFC 9110 §15.5.10",
    needs=("auth", "rbac"),
)
def test_duplicate_registration(target: Target, conformance_profile: Profile) -> None:
    with registered_user(target, conformance_profile) as account, target.client() as client:
        form = registration_form(account.username, account.password)
        response = client.post(conformance_profile.paths.registration, json=form)
        if response.status_code != 409:
            mismatch("registering a taken username", "409", response)


@check(
    "RBAC-08",
    "another user of the same role can neither read, change nor delete an item a user created",
    ref="OWASP API1:2023",
)
def test_items_stay_with_their_creator(
    collection: Collection,
    declared_model: TargetModel,
    target: Target,
    client: httpx.Client,
    conformance_profile: Profile,
) -> None:
    assert_items_stay_with_creator(collection, declared_model, target, client, conformance_profile)
