"""AUTH — OAuth2 password flow and JWT (SPEC.md, tutorial Examples 30 and 31)."""

from __future__ import annotations

import contextlib
import json
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from pytest_conformance import Profile, Target, check, not_applicable, unmapped
from pytest_conformance.target_model import DeclaredOperation, TargetModel

from conformance import jwt_attacks, tokens
from conformance.accounts import registered_user
from conformance.assertions.challenge import challenges
from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import assert_envelope, assert_message, json_body
from conformance.declared_schemes import (
    API_KEY_REFUSALS,
    DeclaredSchemes,
    challenge_for,
    declared_schemes,
    made_up_basic,
    made_up_key,
)
from conformance.forgeries import battery
from conformance.operation_calls import Unbuildable, default_role, representative_call
from conformance.refusals import accepting_request, bare_call, forged_for, refusals
from conformance.session import bearer, form_login, login, post_login, token_of
from conformance.signing_key import signing_key

Record = Callable[[str, object], None]
_rfc = Profile()  # SPEC's own profile: RFC 6750's Bearer scheme, for the strict checks

SIGNATURE_ALGORITHM = re.compile(r"(HS|RS|ES|PS)(256|384|512)|EdDSA")


def _role(profile: Profile) -> str:
    """Whose login the AUTH checks use: the tutorial's admin; for another API (contract =
    "none") whichever user its profile names, since any account proves a login."""
    if "admin" in profile.users or profile.contract != "none":
        return "admin"
    return default_role(profile)


def _admin(profile: Profile) -> tuple[str, str]:
    credentials = profile.users.get(_role(profile))
    if credentials is None:
        unmapped(profile, f"the profile names no user to log in with ([users.{_role(profile)}])")
    return credentials.username, credentials.password


def assert_auth_error(
    response: httpx.Response, profile: Profile, status: int, message: str, what: str
) -> None:
    """The profile's status, its challenge on a 401 (Bearer by default), the envelope's message.

    Parameters after the scheme (``realm``, ``scope``, ``error``, ``resource_metadata``) are
    accepted. Where the profile declares what the RFCs forbid (a 403 for a bad token, no
    challenge), the strict checks below report it.
    """
    __tracebackhide__ = True
    if response.status_code != status:
        mismatch(what, f"status {status}", response)
    scheme = profile.auth.scheme
    if profile.auth.challenge and status == 401 and not challenges(response, scheme):
        mismatch(
            f"{what}: no {scheme} challenge (RFC 6750 §3)",
            f"WWW-Authenticate: {scheme} …",
            response,
        )
    envelope = assert_envelope(response, profile.envelope)
    assert_message(envelope, message, response, f"{what}: wrong message")


def assert_rfc6750_401(response: httpx.Response, what: str) -> None:
    """RFC 6750 §3: a request without a valid bearer token is a 401 with a Bearer challenge."""
    __tracebackhide__ = True
    if response.status_code != 401 or not challenges(response, "Bearer"):
        mismatch(
            f"RFC 6750 §3 / RFC 9110 §11.6.1: {what}",
            "401 with WWW-Authenticate: Bearer …",
            response,
            hint="reported as a strict note: the profile may declare this choice on purpose",
        )


@check(
    "AUTH-01",
    "a valid login returns a bearer access token",
    ref="Ex 30; RFC 6749 §5.1",
    needs=("auth",),
)
@pytest.mark.parametrize("role", ["admin", "user", "analyst"])
def test_login_returns_token(role: str, client: httpx.Client, conformance_profile: Profile) -> None:
    credentials = conformance_profile.users.get(role)
    if credentials is None:
        unmapped(conformance_profile, f"the profile names no user for the role '{role}'")
    response = post_login(client, conformance_profile, credentials.username, credentials.password)
    status = conformance_profile.auth.login_status
    if response.status_code != status:
        mismatch("login refused", f"status {status}", response)
    token_of(response, conformance_profile)
    if conformance_profile.auth.token_cookie or conformance_profile.auth.json_login:
        return  # a cookie login has no body, a JSON login no OAuth2 token_type
    token_type = json_body(response, "login answer").get("token_type")
    scheme = conformance_profile.auth.scheme.lower()
    if not isinstance(token_type, str) or token_type.lower() != scheme:
        mismatch("login answer token_type (RFC 6749 §7.1)", repr(scheme), response)


@check(
    "AUTH-01", "token answers are not cached", ref="RFC 6749 §5.1", level="strict", needs=("auth",)
)
def test_token_answer_not_cached(client: httpx.Client, conformance_profile: Profile) -> None:
    form_login(conformance_profile)
    username, password = _admin(conformance_profile)
    response = post_login(client, conformance_profile, username, password)
    if "no-store" not in response.headers.get("Cache-Control", "").lower():
        mismatch(
            "RFC 6749 §5.1: the token answer may be cached", "Cache-Control: no-store", response
        )


def _failed_logins(client: httpx.Client, profile: Profile) -> tuple[httpx.Response, httpx.Response]:
    username, _ = _admin(profile)
    wrong_password = post_login(client, profile, username, "not-" + uuid.uuid4().hex)
    unknown_user = post_login(client, profile, f"nobody-{uuid.uuid4().hex[:12]}", "whatever-it-is")
    return wrong_password, unknown_user


@check(
    "AUTH-02",
    "wrong password and unknown user get the same 401",
    ref="Ex 30; OWASP ASVS 2.2",
    needs=("auth",),
)
def test_failed_login(client: httpx.Client, conformance_profile: Profile) -> None:
    wrong_password, unknown_user = _failed_logins(client, conformance_profile)
    status = _login_failure_status(conformance_profile, wrong_password, unknown_user)
    message = conformance_profile.messages.login_failure
    assert_auth_error(wrong_password, conformance_profile, status, message, "wrong password")
    assert_auth_error(unknown_user, conformance_profile, status, message, "unknown user")
    if _comparable(wrong_password) != _comparable(unknown_user):
        mismatch(
            "an unknown user is told apart from a wrong password",
            f"the same body as for a wrong password: {wrong_password.text}",
            unknown_user,
        )


def _login_failure_status(profile: Profile, *answers: httpx.Response) -> int:
    """The profile's status; without one, under ``contract = "none"``, RFC 6749 §5.2's 400
    (``invalid_grant``) is as good as the tutorial's 401 — whichever the target answers."""
    auth = profile.auth
    if profile.contract == "tutorial" or "login_failure_status" in auth.model_fields_set:
        return auth.login_failure_status
    statuses = {answer.status_code for answer in answers}
    return 400 if statuses == {400} else 401


@check(
    "AUTH-02",
    "failed logins per RFC 6749 §5.2 (invalid_grant)",
    ref="RFC 6749 §5.2",
    level="strict",
    needs=("auth",),
)
def test_failed_login_rfc6749(client: httpx.Client, conformance_profile: Profile) -> None:
    form_login(conformance_profile)
    wrong_password, _ = _failed_logins(client, conformance_profile)
    if wrong_password.status_code == 400:
        body = json_body(wrong_password, "RFC 6749 §5.2 error answer")
        if body.get("error") != "invalid_grant":
            mismatch("RFC 6749 §5.2 error code", '{"error": "invalid_grant"}', wrong_password)
        return
    if wrong_password.status_code == conformance_profile.auth.login_failure_status:
        pytest.xfail(
            "known divergence: the tutorial contract answers bad credentials with "
            f"{wrong_password.status_code}, RFC 6749 §5.2 with 400 invalid_grant"
        )
    mismatch(
        "failed login status", "400 invalid_grant (RFC) or the profile's status", wrong_password
    )


def _comparable(response: httpx.Response) -> object:
    try:
        return json.loads(response.content)
    except ValueError:
        return response.content


LoginRequest = Callable[[httpx.Client, str, str, str], httpx.Response]

BAD_LOGIN_FORMS: dict[str, LoginRequest] = {
    "no_password": lambda c, path, user, pw: c.post(path, data={"username": user}),
    "no_username": lambda c, path, user, pw: c.post(path, data={"password": pw}),
    "empty_body": lambda c, path, user, pw: c.post(
        path, content=b"", headers={"Content-Type": "application/x-www-form-urlencoded"}
    ),
    "json_body": lambda c, path, user, pw: c.post(path, json={"username": user, "password": pw}),
}


@check(
    "AUTH-03",
    "a login without the form fields is a 422",
    ref="Ex 30; RFC 6749 §4.3.2",
    needs=("auth",),
)
@pytest.mark.parametrize("kind", list(BAD_LOGIN_FORMS))
def test_login_form_required(kind: str, client: httpx.Client, conformance_profile: Profile) -> None:
    form_login(conformance_profile)
    username, password = _admin(conformance_profile)
    response = BAD_LOGIN_FORMS[kind](client, conformance_profile.paths.token, username, password)
    status = conformance_profile.errors.validation_status
    if response.status_code != status:
        mismatch(
            f"login with {kind.replace('_', ' ')}", f"{status} with the error envelope", response
        )
    assert_envelope(response, conformance_profile.envelope)


def _post_form(client: httpx.Client, path: str, form: list[tuple[str, str]]) -> httpx.Response:
    return client.post(
        path,
        content=urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


@check("AUTH-03", "empty credentials never log in", ref="Ex 30", needs=("auth",))
def test_login_empty_values(client: httpx.Client, conformance_profile: Profile) -> None:
    response = post_login(client, conformance_profile, "", "")
    allowed = {400, 422, conformance_profile.auth.login_failure_status}
    allowed.add(conformance_profile.errors.validation_status)
    if response.status_code not in allowed:
        mismatch("login with empty username and password", f"one of {sorted(allowed)}", response)


def _repeated_username(client: httpx.Client, profile: Profile) -> tuple[httpx.Response, str]:
    username, password = _admin(profile)
    decoy = f"nobody-{uuid.uuid4().hex[:8]}"
    form = [("username", decoy), ("username", username), ("password", password)]
    return _post_form(client, profile.paths.token, form), decoy


@check("AUTH-03", "a repeated username never crashes the login", ref="Ex 30", needs=("auth",))
def test_login_repeated_username(client: httpx.Client, conformance_profile: Profile) -> None:
    form_login(conformance_profile)
    response, decoy = _repeated_username(client, conformance_profile)
    if response.status_code >= 500:
        mismatch("login with a repeated username", "an answer below 500", response)
    if response.status_code == conformance_profile.auth.login_status:
        token = token_of(response, conformance_profile)
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            if tokens.read_unverified(token)[1].get("sub") == decoy:
                mismatch(
                    "a token was issued for a user whose password was never given",
                    "no token for the decoy username",
                    response,
                )


@check(
    "AUTH-03",
    "repeated parameters are refused",
    ref="RFC 6749 §3.1, §5.2",
    level="strict",
    needs=("auth",),
)
def test_login_repeated_parameter_refused(
    client: httpx.Client, conformance_profile: Profile
) -> None:
    form_login(conformance_profile)
    response, _ = _repeated_username(client, conformance_profile)
    if response.status_code != 400:
        mismatch("RFC 6749 §3.1: parameters must not be repeated", "400 invalid_request", response)


@check(
    "AUTH-04",
    "the access token is a JWT with sub, exp and the set lifetime",
    ref="Ex 31; RFC 7519",
    needs=("auth",),
)
def test_token_is_a_jwt(client: httpx.Client, conformance_profile: Profile) -> None:
    username, password = _admin(conformance_profile)
    before = time.time()
    response = post_login(client, conformance_profile, username, password)
    after = time.time()
    token = token_of(response, conformance_profile)
    parts = token.split(".")
    if len(parts) != 3 or not all(re.fullmatch(r"[A-Za-z0-9_-]+", part) for part in parts):
        mismatch(
            "the access token is not a compact JWS (three base64url parts)",
            "header.payload.signature",
            response,
        )
    try:
        header, payload = tokens.read_unverified(token)
    except (ValueError, UnicodeDecodeError):
        mismatch("the access token's header or payload is not JSON", "a JWT", response)
    jwt_profile = conformance_profile.jwt
    alg = header.get("alg")
    if conformance_profile.contract == "none" and "algorithm" not in jwt_profile.model_fields_set:
        # the tutorial's HS256 is not a promise every API makes; a signature is
        if not isinstance(alg, str) or not SIGNATURE_ALGORITHM.fullmatch(alg):
            mismatch("JWT alg", "a signature algorithm (HS, RS, ES or PS 256-512, EdDSA)", response)
    elif alg != jwt_profile.algorithm:
        mismatch("JWT alg", f"{jwt_profile.algorithm} (profile jwt.algorithm)", response)
    _assert_subject(client, conformance_profile, token, payload.get("sub"), username, response)
    expires = payload.get("exp")
    if not isinstance(expires, int | float):
        mismatch("JWT without a numeric exp claim", '"exp": NumericDate', response)
    if conformance_profile.contract == "none" and "lifetime_minutes" not in (
        jwt_profile.model_fields_set
    ):
        return  # the tutorial's 30 minutes are not a promise every API makes
    issued = payload.get("iat")
    start, end = (issued, issued) if isinstance(issued, int | float) else (before, after)
    wanted = jwt_profile.lifetime_minutes * 60
    tolerance = jwt_profile.lifetime_tolerance_seconds
    if not (start + wanted - tolerance <= expires <= end + wanted + tolerance):
        mismatch(
            f"token lifetime is {(expires - start) / 60:.1f} min",
            f"{jwt_profile.lifetime_minutes:g} min ± {tolerance:g} s",
            response,
        )


def _assert_subject(
    client: httpx.Client,
    profile: Profile,
    token: str,
    subject: Any,
    username: str,
    response: httpx.Response,
) -> None:
    """AUTH-04's ``sub``: what ``[auth] subject`` says it holds."""
    __tracebackhide__ = True
    kind = profile.auth.subject
    if not isinstance(subject, str) or not subject:
        mismatch("AUTH-04: JWT sub (RFC 7519 §4.1.2)", "a non-empty string", response)
    if kind == "username" and subject != username:
        mismatch("AUTH-04: JWT sub names the login", repr(username), response)
    if kind == "id":
        me = client.get(profile.paths.users_me, headers=bearer(token, profile))
        if me.status_code != 200 or json_body(me, "the me answer").get("id") != subject:
            mismatch("AUTH-04: JWT sub is the user's id", f'200 {{"id": {subject!r}, …}}', me)


@check("AUTH-05", "/users/me names the token's user", ref="Ex 30")
def test_users_me(client: httpx.Client, conformance_profile: Profile) -> None:
    token = login(client, conformance_profile, _role(conformance_profile))
    response = client.get(
        conformance_profile.paths.users_me, headers=bearer(token, conformance_profile)
    )
    field = conformance_profile.auth.me_field
    username = _admin(conformance_profile)[0]
    expected = f"200 {json.dumps({field: username})}" if field else "200 with a JSON object"
    if response.status_code != 200:
        mismatch("AUTH-05: GET the me path with a valid token", expected, response)
    body = json_body(response, "AUTH-05: the me answer")
    if field and body.get(field) != username:
        mismatch("AUTH-05: the me answer names the token's user", expected, response)


MISSING_CREDENTIALS: dict[str, dict[str, str]] = {
    "no_header": {},
    "basic_scheme": {"Authorization": "Basic YWxpY2U6c2VjcmV0"},
    "empty_bearer": {"Authorization": "Bearer"},
    "token_without_scheme": {"Authorization": "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"},
}


@check(
    "AUTH-06",
    "no bearer credentials → 401 Not authenticated",
    ref="Ex 30; RFC 6750 §3",
    needs=("auth",),
)
@pytest.mark.parametrize("kind", list(MISSING_CREDENTIALS))
def test_missing_credentials(kind: str, client: httpx.Client, conformance_profile: Profile) -> None:
    headers = MISSING_CREDENTIALS[kind]
    if kind == "empty_bearer":  # the profile's scheme word alone (Bearer by default)
        headers = {"Authorization": conformance_profile.auth.scheme}
    response = client.get(conformance_profile.paths.users_me, headers=headers)
    status = conformance_profile.auth.unauthenticated_status
    message = conformance_profile.messages.not_authenticated
    if kind != "empty_bearer":
        assert_auth_error(response, conformance_profile, status, message, kind)
        return
    # An empty bearer token is either case (SPEC AUTH-06): no credentials, or an invalid token
    # (the tutorial's OAuth2PasswordBearer answers "Could not validate credentials").
    either = (
        (status, message),
        (conformance_profile.auth.invalid_token_status, conformance_profile.messages.invalid_token),
    )
    for status, message in either:
        try:
            assert_auth_error(response, conformance_profile, status, message, kind)
        except AssertionError:
            continue
        return
    mismatch(
        "an empty bearer token ('Authorization: Bearer') is answered as neither a missing "
        "nor an invalid token",
        " or ".join(f"{status} {message!r}" for status, message in either)
        + " (with the challenge and the error envelope)",
        response,
        hint="profile [messages] not_authenticated / invalid_token and [auth] statuses",
    )


@check(
    "AUTH-06",
    "no credentials → 401 with a Bearer challenge, as RFC 6750 says",
    ref="RFC 6750 §3; RFC 9110 §11.6.1",
    level="strict",
    needs=("auth",),
)
def test_missing_credentials_rfc6750(client: httpx.Client, conformance_profile: Profile) -> None:
    response = client.get(conformance_profile.paths.users_me)
    assert_rfc6750_401(response, "a request without credentials")


@check(
    "AUTH-06",
    "no error code in the challenge without credentials",
    ref="RFC 6750 §3.1",
    level="strict",
    needs=("auth",),
)
def test_missing_credentials_challenge(client: httpx.Client, conformance_profile: Profile) -> None:
    response = client.get(conformance_profile.paths.users_me)
    if "error=" in response.headers.get("WWW-Authenticate", ""):
        mismatch(
            "RFC 6750 §3.1: a request without credentials gets no error code",
            "WWW-Authenticate: Bearer (no error=)",
            response,
        )


Attack = Callable[[Target, Profile], str]


def _valid_token(target: Target, profile: Profile) -> str:
    with target.client() as client:
        return login(client, profile, _role(profile))


def _claims(profile: Profile, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": _admin(profile)[0],
        "roles": ["user", "admin"],
        "iat": now,
        "exp": now + 600,
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def _other_hmac(target: Target, profile: Profile) -> str:
    others = [alg for alg in tokens.HMAC_HASHES if alg != profile.jwt.algorithm]
    return tokens.sign_hmac(_claims(profile), signing_key(target, profile), others[-1])


def _deleted_user(target: Target, profile: Profile) -> str:
    with registered_user(target, profile) as account:
        token = account.token
    return token


ATTACKS: dict[str, Attack] = {
    # without the secret
    "tampered_payload": lambda t, p: tokens.tampered(_valid_token(t, p), {"sub": "eve"}),
    "tampered_roles": lambda t, p: tokens.tampered(
        _valid_token(t, p), {"roles": ["user", "admin", "superuser"]}
    ),
    "wrong_key": lambda t, p: tokens.sign_hmac(_claims(p), "not-the-key-" + uuid.uuid4().hex),
    "alg_none": lambda t, p: tokens.unsigned(_claims(p)),
    "alg_none_with_signature": lambda t, p: tokens.unsigned(
        _claims(p), keep_signature_part=_valid_token(t, p).split(".")[2]
    ),
    "rs256_header": lambda t, p: tokens.sign_rs256(_claims(p)),
    "garbage": lambda t, p: "not-a-jwt-" + uuid.uuid4().hex,
    "truncated": lambda t, p: _valid_token(t, p).rsplit(".", 1)[0],
    "deleted_user": _deleted_user,
    # with the secret
    "expired": lambda t, p: tokens.sign_hmac(
        _claims(p, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
        signing_key(t, p),
        p.jwt.algorithm,
    ),
    "no_sub": lambda t, p: tokens.sign_hmac(
        _claims(p, sub=None), signing_key(t, p), p.jwt.algorithm
    ),
    "no_exp": lambda t, p: tokens.sign_hmac(
        _claims(p, exp=None), signing_key(t, p), p.jwt.algorithm
    ),
    "unknown_sub": lambda t, p: tokens.sign_hmac(
        _claims(p, sub=f"ghost-{uuid.uuid4().hex[:8]}"), signing_key(t, p), p.jwt.algorithm
    ),
    "other_hmac_algorithm": _other_hmac,
}


@check(
    "AUTH-07",
    "forged, expired and broken tokens are refused",
    ref="Ex 31; RFC 8725 §3",
    needs=("auth",),
)
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_token_attack(attack: str, target: Target, conformance_profile: Profile) -> None:
    token = ATTACKS[attack](target, conformance_profile)
    with target.client() as client:
        response = client.get(
            conformance_profile.paths.users_me, headers=bearer(token, conformance_profile)
        )
    status = conformance_profile.auth.invalid_token_status
    message = conformance_profile.messages.invalid_token
    assert_auth_error(response, conformance_profile, status, message, attack)


@check(
    "AUTH-07",
    "an invalid bearer token → 401 with a Bearer challenge, as RFC 6750 says",
    ref="RFC 6750 §3.1; RFC 9110 §11.6.1",
    level="strict",
    needs=("auth",),
)
def test_invalid_token_rfc6750(client: httpx.Client, conformance_profile: Profile) -> None:
    response = client.get(conformance_profile.paths.users_me, headers=bearer("not-a-jwt", _rfc))
    assert_rfc6750_401(response, "a request with an invalid bearer token")


@check(
    "AUTH-07",
    "invalid tokens are named in the challenge",
    ref="RFC 6750 §3.1",
    level="strict",
    needs=("auth",),
)
def test_invalid_token_challenge(client: httpx.Client, conformance_profile: Profile) -> None:
    response = client.get(
        conformance_profile.paths.users_me, headers=bearer("not-a-jwt", conformance_profile)
    )
    if 'error="invalid_token"' not in response.headers.get("WWW-Authenticate", ""):
        mismatch(
            'RFC 6750 §3.1: an invalid token is answered with error="invalid_token"',
            'WWW-Authenticate: Bearer error="invalid_token"',
            response,
        )


_AUTH09_HINTS = {
    False: "the document declares a security requirement, but nothing checks the caller: "
    "does the operation depend on the current user, or only on the scheme?",
    True: "a request with missing or forged credentials must be refused, never crash",
}


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
    try:
        call, unbuildable = representative_call(declared_model, secured_operation), ""
    except Unbuildable as error:
        call, unbuildable = bare_call(declared_model, secured_operation), str(error)
    schemes = declared_schemes(declared_model, secured_operation)
    attempts = _refusal_attempts(target, profile, declared_model, schemes)
    if not attempts.sent:
        not_applicable("AUTH-09 has nothing to send: " + "; ".join(attempts.left_out))
    budget = profile.limits.requests_per_operation
    record_property("conformance_left_out", [
        *attempts.left_out,
        *(f"{a.what}: over [limits] requests_per_operation" for a in attempts.sent[budget:]),
    ])  # fmt: skip
    judged = 0
    with refusals(target) as client:
        for attempt in attempts.sent[:budget]:
            response = call.send(client, headers=attempt.headers, params=attempt.params)
            code = response.status_code
            what = f"AUTH-09: {call.describe()} with {attempt.what}"
            expected = " or ".join(str(status) for status in attempt.statuses)
            if 200 <= code < 300 or code >= 500:
                mismatch(what, f"status {expected}", response, hint=_AUTH09_HINTS[code >= 500])
            if unbuildable and code not in attempt.statuses:
                continue
            judged += 1
            if code not in attempt.statuses:
                mismatch(what, f"status {expected}", response)
            if attempt.challenge and code == 401 and not challenges(response, attempt.challenge):
                mismatch(
                    f"{what}: no {attempt.challenge} challenge",
                    f"WWW-Authenticate: {attempt.challenge} …",
                    response,
                )
    if not judged:
        not_applicable(
            f"{unbuildable}; sent with the path alone, every answer was a 4xx other than the "
            "profile's status (the request was refused before its credentials were judged)"
        )


@dataclass(frozen=True)
class _Attempt:
    what: str
    headers: dict[str, str]
    params: dict[str, str]
    statuses: tuple[int, ...]
    challenge: str | None  # the scheme a 401's WWW-Authenticate must name; None: any or none


@dataclass(frozen=True)
class _Attempts:
    sent: list[_Attempt]
    left_out: list[str]


def _refusal_attempts(
    target: Target, profile: Profile, model: TargetModel, schemes: DeclaredSchemes
) -> _Attempts:
    """What AUTH-09 sends an operation, by the kinds of credentials it declares: nothing;
    each AUTH-07 forgery where it takes tokens; made-up Basic credentials; a made-up key
    where each API key goes. Each is refused as that scheme refuses (see declared_schemes)."""
    auth = profile.auth
    token_challenge = auth.scheme if auth.challenge else None
    missing_statuses: tuple[int, ...]
    if schemes.token:
        missing_statuses = (auth.unauthenticated_status,)
    elif schemes.basic:
        missing_statuses = (401,)
    else:
        missing_statuses = API_KEY_REFUSALS
    recognised = schemes.token or schemes.basic or bool(schemes.api_keys)
    judged_challenge = auth.challenge and recognised  # an unknown kind has no known challenge
    missing_challenge = challenge_for(schemes, auth.scheme) if judged_challenge else None
    sent: list[_Attempt] = []
    left_out: list[str] = []
    carried = _keys_in_profile_headers(profile, schemes)
    if carried:
        left_out.append(
            f"no credentials: the profile's [headers] send the API key {carried[0]!r} on "
            "every request (a declared scheme's credentials do not belong there)"
        )
    else:
        sent.append(_Attempt("no credentials", {}, {}, missing_statuses, missing_challenge))
    if schemes.token:
        forged = battery(target, profile, model)
        left_out.extend(forged.left_out)
        sent.extend(
            _Attempt(
                f"the forged token {name!r} (AUTH-07)",
                bearer(token, profile),
                {},
                (auth.invalid_token_status,),
                token_challenge,
            )
            for name, token in forged.tokens
        )
    if schemes.basic:
        basic_challenge = "Basic" if auth.challenge else None
        sent.append(
            _Attempt("made-up Basic credentials", made_up_basic(), {}, (401,), basic_challenge)
        )
    for key in schemes.api_keys:
        value, what = made_up_key(), f"a made-up API key in {key.location} {key.name!r}"
        if key.location == "header":
            sent.append(_Attempt(what, {key.name: value}, {}, API_KEY_REFUSALS, None))
        elif key.location == "query":
            sent.append(_Attempt(what, {}, {key.name: value}, API_KEY_REFUSALS, None))
        elif key.location == "cookie":
            sent.append(
                _Attempt(what, {"Cookie": f"{key.name}={value}"}, {}, API_KEY_REFUSALS, None)
            )
    return _Attempts(sent, left_out)


def _keys_in_profile_headers(profile: Profile, schemes: DeclaredSchemes) -> list[str]:
    """The declared API-key headers the profile sends on every request anyway."""
    sent = {name.lower() for name in profile.headers}
    return [
        key.name
        for key in schemes.api_keys
        if key.location == "header" and key.name.lower() in sent
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
    accepting = accepting_request(target, profile, declared_model)
    record_property("conformance_operation", f"{accepting.method} {accepting.path}")
    forged = forged_for(attack, accepting, target, profile, declared_model)
    budget = profile.limits.requests_per_operation
    record_property("conformance_left_out", [label for label, _ in forged[budget:]])
    with refusals(target) as client:
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


TIMING_SAMPLES = 4
TIMING_FACTOR = 4.0


@check(
    "AUTH-08",
    "an unknown user costs a password verification too",
    ref="Ex 30; OWASP ASVS 2.4",
    needs=("auth",),
)
def test_unknown_user_timing(client: httpx.Client, conformance_profile: Profile) -> None:
    """A slow hash verified only for known users tells attackers which usernames exist."""
    username, _ = _admin(conformance_profile)
    path = conformance_profile.paths.token

    def timed(user: str) -> float:
        started = time.perf_counter()
        post_login(client, conformance_profile, user, "wrong-" + uuid.uuid4().hex, path)
        return time.perf_counter() - started

    known, unknown = [], []
    for _ in range(TIMING_SAMPLES):
        known.append(timed(username))
        unknown.append(timed(f"nobody-{uuid.uuid4().hex[:12]}"))
    # the fastest answer of each kind: a busy machine only ever adds time to an answer
    known_fastest, unknown_fastest = min(known), min(unknown)
    if unknown_fastest * TIMING_FACTOR < known_fastest:
        response = post_login(client, conformance_profile, "nobody", "x", path)
        mismatch(
            f"unknown users are answered {known_fastest / unknown_fastest:.0f}x faster than wrong "
            f"passwords (fastest of {TIMING_SAMPLES}: {unknown_fastest * 1000:.1f} ms vs "
            f"{known_fastest * 1000:.1f} ms)",
            "a dummy hash verification for unknown users (timings within a factor "
            f"{TIMING_FACTOR:g})",
            response,
        )
