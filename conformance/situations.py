"""Ways to provoke each kind of error answer from a target, per the profile.

ERR and MW checks run over these, so every error path (unknown routes, 405s, 422s,
401/403s, 429s, 500s, sub-apps) is exercised by every envelope and header check.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import pytest
from pytest_conformance import Profile, Target, require

from conformance.assertions.describe import cannot_set_up
from conformance.authorized import signed_in
from conformance.session import bearer, login


@dataclass(frozen=True)
class Situation:
    name: str
    expected: Callable[[Profile], int]
    needs: tuple[str, ...]
    provoke: Callable[[Target, Profile], httpx.Response]

    def run(self, target: Target, profile: Profile) -> httpx.Response:
        """Provoke the answer, skipping with the reason when the profile lacks a capability."""
        __tracebackhide__ = True
        require(profile, *self.needs)
        response = self.provoke(target, profile)
        status = self.expected(profile)
        if response.status_code != status:
            cannot_set_up(
                f"could not provoke the '{self.name}' error: the target answered "
                f"{response.status_code} instead",
                f"status {status}",
                response,
                hint=_why_not(response.status_code, status),
            )
        return response


def _why_not(got: int, wanted: int) -> str:
    """What the status the target gave instead suggests (not always the profile's paths)."""
    if got == 429:
        return (
            "the target rate-limited the request; the suite gives every check its own client "
            "identity (over HTTP, X-Forwarded-For: does the server trust the loopback proxy?)"
        )
    if got == 404 and wanted != 404:
        return "the path is not served: adjust [paths] in the profile if the target's differs"
    if 200 <= got < 300:
        return (
            "the target accepted what it should refuse; if it lacks the behaviour, say so "
            "in the profile's [capabilities] or statuses ([auth], [errors], [pagination])"
        )
    if got >= 500:
        return "the target failed instead of refusing the request"
    return (
        f"the target refuses it with another status; if {got} is its choice, declare it in "
        "the profile ([auth], [errors], [pagination])"
    )


def _client(target: Target, profile: Profile) -> httpx.Client:
    """Signed in where the document declares the operation secured; ERR-01 judges the
    envelope of every situation's answer (ERR-07 leaves them to it)."""
    return signed_in(target, profile, envelope_judged=True)


def _get(target: Target, profile: Profile, path: str, **kwargs: object) -> httpx.Response:
    """A GET with credentials where the document declares the operation secured, so the
    situation's own error is provoked and not a 401."""
    with _client(target, profile) as client:
        return client.get(path, **kwargs)  # type: ignore[arg-type]


def _unknown_route(target: Target, profile: Profile) -> httpx.Response:
    return _get(target, profile, f"/conformance-no-such-route-{uuid.uuid4().hex}")


def _sub_app_unknown_route(target: Target, profile: Profile) -> httpx.Response:
    return _get(target, profile, f"{profile.paths.sub_apps[0]}/conformance-no-such-route")


def _method_not_allowed(target: Target, profile: Profile) -> httpx.Response:
    method, path = profile.paths.method_not_allowed.split(" ", 1)
    with _client(target, profile) as client:
        return client.request(method, path)


def _validation(target: Target, profile: Profile) -> httpx.Response:
    """A path parameter ``item_id`` that is not an integer (request-context, else one item)."""
    path = (
        profile.paths.request_context
        if profile.capabilities.request_context
        else (profile.paths.item)
    )
    return _get(target, profile, path.format(item_id="not-a-number"))


def _sub_app_validation(target: Target, profile: Profile) -> httpx.Response:
    path = profile.paths.sub_apps[0] + profile.paths.sub_app_item.format(item_id="not-a-number")
    return _get(target, profile, path)


def _bad_request(target: Target, profile: Profile) -> httpx.Response:
    pagination = profile.pagination
    return _get(
        target,
        profile,
        profile.paths.items,
        params={pagination.limit_param: pagination.max_limit + 1},
    )


def _unauthenticated(target: Target, profile: Profile) -> httpx.Response:
    with target.client(envelope_judged=True) as client:  # no credentials: the situation
        return client.get(profile.paths.users_me)


def _forbidden(target: Target, profile: Profile) -> httpx.Response:
    with target.client(envelope_judged=True) as client:
        token = login(client, profile, "user")
        path = profile.paths.admin_delete_user.format(user_id=987654321)
        return client.delete(path, headers=bearer(token, profile))


def _rate_limited(target: Target, profile: Profile) -> httpx.Response:
    with _client(target, profile) as client:
        for _ in range(profile.rate_limit.max_requests):
            client.get(profile.paths.items)
        return client.get(profile.paths.items)


def _server_error(target: Target, profile: Profile) -> httpx.Response:
    return _get(target, profile, profile.paths.server_error)


def _fixed(status: int) -> Callable[[Profile], int]:
    return lambda profile: status


def _validation_status(profile: Profile) -> int:
    return profile.errors.validation_status


SITUATIONS = (
    Situation("unknown_route", _fixed(404), (), _unknown_route),
    Situation("method_not_allowed", _fixed(405), (), _method_not_allowed),
    Situation("validation", _validation_status, (), _validation),
    Situation(
        "bad_request", lambda p: p.pagination.max_limit_status, ("pagination",), _bad_request
    ),
    Situation(
        "unauthenticated", lambda p: p.auth.unauthenticated_status, ("auth",), _unauthenticated
    ),
    Situation("forbidden", lambda p: p.auth.forbidden_status, ("auth", "rbac"), _forbidden),
    Situation("rate_limited", _fixed(429), ("rate_limit",), _rate_limited),
    Situation("server_error", _fixed(500), ("server_error_trigger",), _server_error),
    Situation("sub_app_unknown_route", _fixed(404), ("sub_apps",), _sub_app_unknown_route),
    Situation("sub_app_validation", _validation_status, ("sub_apps",), _sub_app_validation),
)
BY_NAME = {situation.name: situation for situation in SITUATIONS}


def params(*names: str) -> list[object]:
    """``pytest.param`` entries for the named situations (all when none are named)."""
    chosen = [BY_NAME[name] for name in names] if names else list(SITUATIONS)
    return [pytest.param(situation, id=situation.name) for situation in chosen]
