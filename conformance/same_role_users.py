"""Two accounts of one non-admin role, for object-level authorization (RBAC-08).

The profile's ``[users.<role>]`` and ``[users.<role>_2]`` when it names such a pair, else
two accounts registered for the check (only where registration is mapped) and deleted by
the admin afterwards. Admin roles are never used: an admin may see everyone's items.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
from pytest_conformance import Profile, Target, not_applicable
from pytest_conformance.target_model import TargetModel

from conformance.accounts import registered_user
from conformance.operation_calls import credentials
from conformance.session import bearer

SECOND = "_2"
ADMIN_WORDS = ("admin", "super", "root")


@dataclass(frozen=True)
class User:
    name: str  # how a failure names the account
    headers: dict[str, str]


def is_admin_role(role: str) -> bool:
    return any(word in role.lower() for word in ADMIN_WORDS)


def profile_pair(profile: Profile) -> tuple[str, str] | None:
    """The first ``(<role>, <role>_2)`` of the profile's users, the role not an admin's."""
    for role in profile.users:
        if not is_admin_role(role) and not role.endswith(SECOND) and role + SECOND in profile.users:
            return role, role + SECOND
    return None


def can_register(profile: Profile) -> bool:
    return (
        profile.capabilities.registration
        and profile.paths.is_mapped("registration")
        and profile.paths.is_mapped("admin_delete_user")
        and "admin" in profile.users
    )


@contextlib.contextmanager
def two_users(
    target: Target, client: httpx.Client, profile: Profile, model: TargetModel
) -> Iterator[tuple[User, User]]:
    """``(creator, other)``: two accounts of one non-admin role."""
    pair = profile_pair(profile)
    if pair is not None:
        first, second = pair
        yield (
            User(f"[users.{first}]", credentials(client, profile, model, first)),
            User(f"[users.{second}]", credentials(client, profile, model, second)),
        )
        return
    if not can_register(profile):
        not_applicable(
            "RBAC-08 needs two accounts of one non-admin role: the profile names no "
            "[users.<role>] with a [users.<role>_2], and maps no registration (with "
            "paths.admin_delete_user and an admin to delete what it registers)"
        )
    with registered_user(target, profile) as one, registered_user(target, profile) as two:
        yield (
            User(f"registered {one.username}", bearer(one.token, profile)),
            User(f"registered {two.username}", bearer(two.token, profile)),
        )
