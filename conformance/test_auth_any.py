"""AUTH-09 and AUTH-10 — the forged-token battery on every secured operation, and the JWT
attacks beyond the tutorial (SPEC.md, "ANY"; RFC 8725)."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pytest_conformance import Profile, Target, check, not_applicable
from pytest_conformance.target_model import DeclaredOperation, TargetModel

from conformance import jwt_attacks, tokens
from conformance.assertions.challenge import challenges
from conformance.assertions.describe import mismatch
from conformance.forgeries import LIFETIME, battery, genuine_token
from conformance.jwt_attacks import hmac_algorithm
from conformance.operation_calls import Call, Unbuildable, representative_call
from conformance.session import bearer
from conformance.signing_key import signing_key

Record = Callable[[str, object], None]
PROBES = 10  # secured GETs tried at most, looking for one that answers the genuine token


def _refusals(target: Target) -> httpx.Client:
    """A client for requests with forged or missing credentials. The refusals they provoke
    are implied by the operation's declared security requirement (documents rarely list a
    401): their status is judged here, not by OAS-06."""
    return target.client(validate=False)


def _bare_call(model: TargetModel, operation: DeclaredOperation) -> Call:
    """The path filled (with absent values), nothing else: what the suite sends when the
    document does not say enough for a valid request."""
    path_only = dataclasses.replace(
        operation,
        parameters=operation.path_parameters,
        body_media=None,
        body_schema={},
    )
    return representative_call(model, path_only)


@check(
    "AUTH-09",
    "every secured operation refuses missing and forged credentials",
    ref="OWASP API2:2023; RFC 6750 §3; RFC 8725 §3",
)
def test_secured_operation_refuses(
    secured_operation: DeclaredOperation,
    target: Target,
    conformance_profile: Profile,
    declared_model: TargetModel,
    record_property: Record,
) -> None:
    """No credentials and each AUTH-07 forgery → the profile's status and challenge.

    The request carries absent path ids, so a target that lets a forgery through cannot
    harm real data. Where the document does not say enough to build a valid request, the
    suite sends the path alone: a 2xx or 5xx still fails, and a 4xx other than the
    profile's status (validation before authentication) is not held against the target.
    """
    profile = conformance_profile
    auth = profile.auth
    try:
        call, unbuildable = representative_call(declared_model, secured_operation), ""
    except Unbuildable as error:
        call, unbuildable = _bare_call(declared_model, secured_operation), str(error)
    forged = battery(target, profile, declared_model)
    attempts: list[tuple[str, dict[str, str], int]] = [
        ("no credentials", {}, auth.unauthenticated_status),
        *(
            (
                f"the forged token {name!r} (AUTH-07)",
                bearer(token, profile),
                auth.invalid_token_status,
            )
            for name, token in forged.tokens
        ),
    ]
    budget = profile.limits.requests_per_operation
    record_property("conformance_left_out", [
        *forged.left_out,
        *(f"{name}: over [limits] requests_per_operation" for name, _, _ in attempts[budget:]),
    ])  # fmt: skip
    judged = 0
    with _refusals(target) as client:
        for what, headers, status in attempts[:budget]:
            response = call.send(client, headers=headers)
            code = response.status_code
            if 200 <= code < 300 or code >= 500:
                mismatch(f"AUTH-09: {call.describe()} with {what}", f"status {status}", response)
            if unbuildable and code != status:
                continue
            judged += 1
            if code != status:
                mismatch(f"AUTH-09: {call.describe()} with {what}", f"status {status}", response)
            if auth.challenge and status == 401 and not challenges(response, auth.scheme):
                mismatch(
                    f"AUTH-09: {call.describe()} with {what}: no {auth.scheme} challenge",
                    f"WWW-Authenticate: {auth.scheme} …",
                    response,
                )
    if not judged:
        not_applicable(
            f"{unbuildable}; sent with the path alone, every answer was a 4xx other than the "
            "profile's status (the request was refused before its credentials were judged)"
        )


@dataclass(frozen=True)
class _Accepting:
    """A secured request the target answers 2xx with a genuine token."""

    method: str
    path: str
    params: dict[str, Any]
    claims: dict[str, Any]  # the genuine token's
    hmac: str  # the HMAC algorithm forgeries use (the genuine token's, if it is one)


_accepting: dict[str, _Accepting | str] = {}
_lock = threading.Lock()


def _accepting_request(target: Target, profile: Profile, model: TargetModel) -> _Accepting:
    """The profile's me path when mapped, else the first secured GET without path
    parameters that answers the profile user's real token with a 2xx (once per run)."""
    __tracebackhide__ = True
    key = str(target.base_url)
    with _lock:
        found = _accepting.get(key)
        if found is None:
            found = _accepting[key] = _find_accepting(target, profile, model)
    if isinstance(found, str):
        not_applicable(found)
    return found


def _find_accepting(target: Target, profile: Profile, model: TargetModel) -> _Accepting | str:
    try:
        token = genuine_token(target, profile, model)
        header, claims = tokens.read_unverified(token)
    except pytest.skip.Exception as skipped:
        return f"needs a real token of the profile's user: {skipped.msg}"
    except AssertionError as refused:  # the login itself is AUTH-01's to judge
        return f"the profile's user could not log in: {str(refused).splitlines()[0]}"
    except (ValueError, UnicodeDecodeError):
        return "the profile user's token is not a JWT: there are no claims to forge"
    candidates: list[tuple[str, dict[str, Any]]] = []
    if profile.paths.is_mapped("users_me"):
        candidates.append((profile.paths.users_me, {}))
    for operation in model.secured:
        if operation.method != "GET" or operation.path_parameters:
            continue
        try:
            call = representative_call(model, operation)
        except Unbuildable:
            continue
        candidates.append((call.path, call.params))
    with target.client() as client:
        for path, params in candidates[:PROBES]:
            response = client.get(path, params=params, headers=bearer(token, profile))
            if 200 <= response.status_code < 300:
                return _Accepting("GET", path, params, claims, hmac_algorithm(header))
    tried = ", ".join(path for path, _ in candidates[:PROBES]) or "none"
    return (
        "no secured GET without path parameters answers the profile user's real token with "
        f"a 2xx (tried: {tried}): no request on which only the signature decides"
    )


def _forged(
    attack: str, accepting: _Accepting, target: Target, profile: Profile, model: TargetModel
) -> jwt_attacks.Forged:
    __tracebackhide__ = True
    claims = {**accepting.claims, "exp": int(time.time()) + LIFETIME}
    try:
        if attack in jwt_attacks.WITHOUT_SECRET:
            return jwt_attacks.WITHOUT_SECRET[attack](claims, accepting.hmac)
        if attack == "key_confusion":
            return jwt_attacks.key_confusion(claims, target, profile, model)
    except jwt_attacks.Inapplicable as inapplicable:
        not_applicable(str(inapplicable))
    try:
        key = signing_key(target, profile)
    except pytest.skip.Exception as skipped:
        not_applicable(f"signing a token with a time claim in the future {skipped.msg}")
    future = jwt_attacks.in_the_future(attack, claims)
    algorithm = profile.jwt.algorithm
    return [
        ("the same claims, valid now (control)", tokens.sign_hmac(claims, key, algorithm)),
        (f"{attack.split('_')[0]} in the future", tokens.sign_hmac(future, key, algorithm)),
    ]


@check(
    "AUTH-10",
    "JWT attacks beyond the tutorial are refused",
    ref="RFC 8725 §2, §3.1, §3.10; RFC 7515 §4.1.2-4.1.5",
)
@pytest.mark.parametrize("attack", jwt_attacks.ATTACK_NAMES)
def test_jwt_attack(
    attack: str,
    target: Target,
    conformance_profile: Profile,
    declared_model: TargetModel,
    record_property: Record,
) -> None:
    """Each forgery carries the claims of the profile user's genuine token (``exp`` moved
    forward) and goes to a request that token is accepted on: only the forgery decides."""
    profile = conformance_profile
    accepting = _accepting_request(target, profile, declared_model)
    record_property("conformance_operation", f"{accepting.method} {accepting.path}")
    forged = _forged(attack, accepting, target, profile, declared_model)
    budget = profile.limits.requests_per_operation
    record_property("conformance_left_out", [label for label, _ in forged[budget:]])
    with _refusals(target) as client:
        for index, (label, token) in enumerate(forged[:budget]):
            response = client.request(
                accepting.method, accepting.path, params=accepting.params,
                headers=bearer(token, profile),
            )  # fmt: skip
            code = response.status_code
            control = attack in jwt_attacks.WITH_SECRET and index == 0
            if control:
                if not 200 <= code < 300:
                    not_applicable(
                        f"the target refuses even a token with the genuine claims signed with "
                        f"the secret (status {code}): a refusal would prove nothing"
                    )
                continue
            what = f"AUTH-10 {attack}: {accepting.method} {accepting.path} with {label}"
            if 200 <= code < 300:
                mismatch(f"{what} was accepted", f"status {profile.auth.invalid_token_status}",
                         response)  # fmt: skip
            if code >= 500:
                mismatch(f"{what} crashed the target", "a 4xx refusal", response)
