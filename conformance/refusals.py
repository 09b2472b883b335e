"""Sending missing and forged credentials to a target's secured operations (AUTH-09/10).

AUTH-09 sends AUTH-07's forgeries (``conformance/forgeries.py``) to every secured operation;
AUTH-10 sends the attacks of ``conformance/jwt_attacks.py`` to one request the profile
user's genuine token is accepted on, found once per run.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pytest_conformance import Profile, Target, not_applicable
from pytest_conformance.target_model import DeclaredOperation, TargetModel

from conformance import jwt_attacks, tokens
from conformance.forgeries import LIFETIME, genuine_token
from conformance.jwt_attacks import hmac_algorithm
from conformance.operation_calls import Call, Unbuildable, representative_call
from conformance.session import bearer
from conformance.signing_key import signing_key

PROBES = 10  # secured GETs tried at most, looking for one that answers the genuine token


def refusals(target: Target) -> httpx.Client:
    """A client for requests with forged or missing credentials. The refusals they provoke
    are implied by the operation's declared security requirement (documents rarely list a
    401): their status is judged here, not by OAS-06."""
    return target.client(validate=False)


def bare_call(model: TargetModel, operation: DeclaredOperation) -> Call:
    """The path filled (with absent values), nothing else: what the suite sends when the
    document does not say enough for a valid request."""
    path_only = dataclasses.replace(
        operation,
        parameters=operation.path_parameters,
        body_media=None,
        body_schema={},
    )
    return representative_call(model, path_only)


@dataclass(frozen=True)
class Accepting:
    """A secured request the target answers 2xx with a genuine token."""

    method: str
    path: str
    params: dict[str, Any]
    claims: dict[str, Any]  # the genuine token's
    hmac: str  # the HMAC algorithm forgeries use (the genuine token's, if it is one)


_accepting: dict[str, Accepting | str] = {}
_lock = threading.Lock()


def accepting_request(target: Target, profile: Profile, model: TargetModel) -> Accepting:
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


def _find_accepting(target: Target, profile: Profile, model: TargetModel) -> Accepting | str:
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
                return Accepting("GET", path, params, claims, hmac_algorithm(header))
    tried = ", ".join(path for path, _ in candidates[:PROBES]) or "none"
    return (
        "no secured GET without path parameters answers the profile user's real token with "
        f"a 2xx (tried: {tried}): no request on which only the signature decides"
    )


def forged_for(
    attack: str, accepting: Accepting, target: Target, profile: Profile, model: TargetModel
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
