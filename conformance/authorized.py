"""Ordinary checks log in where the target's document says an operation needs it.

A contract check calls the profile's paths. When the target's OpenAPI document declares
the operation behind a request secured, the request carries the token of the profile's
user (for the role the profile's ``[[protected_routes]]`` row names, else the role that
calls secured operations), so no check fails on a 401 it caused by not logging in. A
request that already carries ``Authorization`` is sent as is, and the checks that test
authentication itself (AUTH, RBAC's denials) use plain clients.
"""

from __future__ import annotations

import re
from collections.abc import Generator

import httpx
from pytest_conformance import Profile, Target, unmapped
from pytest_conformance.target_model import TargetModel

from conformance.operation_calls import default_role, token_path
from conformance.session import bearer, shared_token

_PARAMETER = re.compile(r"\{[^}/]+\}")


def signed_in(target: Target, profile: Profile, **kwargs: object) -> httpx.Client:
    """A client to the target whose requests to secured operations carry credentials."""
    auth = DeclaredCredentials(target, profile, target.model())
    return target.client(auth=auth, **kwargs)  # type: ignore[arg-type]


class DeclaredCredentials(httpx.Auth):
    """An ``httpx.Auth`` adding the profile's user's token to each request whose operation
    the document declares secured (the request's own ``Authorization`` wins)."""

    def __init__(self, target: Target, profile: Profile, model: TargetModel | None) -> None:
        self._target = target
        self._profile = profile
        self._model = model

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if "Authorization" not in request.headers:
            request.headers.update(self.headers_for(request.method, request.url.path))
        yield request

    def headers_for(self, method: str, path: str) -> dict[str, str]:
        """The credentials ``method path`` needs; none for an operation the document does
        not declare secured (or does not declare at all)."""
        __tracebackhide__ = True
        model = self._model
        if model is None or model.document is None:
            return {}
        operation = model.document.find(method, path, self._profile.paths.prefix)
        if operation is None or not operation.requires_credentials:
            return {}
        role = role_for(self._profile, method, path)
        profile = self._profile
        if role not in profile.users or not profile.capabilities.auth:
            unmapped(
                profile,
                f"{operation.name} declares security and the profile gives no user to call it "
                f"with ([users.{role}], [capabilities] auth)",
            )
        with self._target.client() as client:
            token = shared_token(client, profile, role, token_path(profile, model))
        return bearer(token, profile)


def role_for(profile: Profile, method: str, path: str) -> str:
    """The role whose user calls ``method path``: the first of the roles its
    ``[[protected_routes]]`` row names that the profile has a user for, else the default."""
    for route in profile.protected_routes:
        if route.method != method.upper() or not _matches(route.path, path):
            continue
        for role in route.roles:
            if role in profile.users:
                return role
    return default_role(profile)


def _matches(template: str, path: str) -> bool:
    pattern = "".join(
        "[^/]+" if _PARAMETER.fullmatch(part) else re.escape(part)
        for part in re.split(r"(\{[^}/]+\})", template)
    )
    return re.fullmatch(pattern, path) is not None
