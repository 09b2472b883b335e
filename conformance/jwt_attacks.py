"""AUTH-10: forged tokens beyond the tutorial (RFC 8725, the usual JWT attack tooling).

Each attack takes the claims of a genuine token of the profile's user, so that only the
signature (and the header that tells the target which key to use) decides, and returns
the tokens to send: ``(label, token)``. An attack that needs what the run lacks raises
``Inapplicable`` with the reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import httpx
from pytest_conformance import Profile, Target
from pytest_conformance.target_model import TargetModel

from conformance import tokens

KID_TRAVERSAL = "../../../../../../dev/null"  # an empty file: the key becomes ""
KID_SQL = "x' UNION SELECT 'conformance' --"  # a key lookup that returns "conformance"
UNREACHABLE_KEYS = "http://127.0.0.1:9/jwks.json"  # the discard port: nothing answers
FUTURE = 3600  # seconds ahead for nbf / iat
JWKS_CAP = 1 << 20  # bytes read of a published key set

Forged = list[tuple[str, str]]
Attack = Callable[[dict[str, Any], str], Forged]  # (claims, the HMAC algorithm to forge with)


class Inapplicable(Exception):
    """The attack cannot be made against this target in this run (the reason)."""


def weak_secrets() -> list[str]:
    """The shipped dictionary (conformance/weak_secrets.txt, its origin at its top)."""
    text = resources.files("conformance").joinpath("weak_secrets.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _kid_traversal(claims: dict[str, Any], hmac: str) -> Forged:
    token = tokens.sign_hmac(claims, "", hmac, header={"kid": KID_TRAVERSAL})
    return [(f"kid {KID_TRAVERSAL!r}, {hmac} keyed with the empty string", token)]


def _kid_sql(claims: dict[str, Any], hmac: str) -> Forged:
    token = tokens.sign_hmac(claims, "conformance", hmac, header={"kid": KID_SQL})
    return [(f"kid {KID_SQL!r}, {hmac} keyed 'conformance'", token)]


def _embedded_jwk(claims: dict[str, Any], hmac: str) -> Forged:
    key = tokens.new_rsa_key()
    header = {"jwk": tokens.public_jwk(key), "kid": "conformance"}
    return [("RS256 with the suite's own key in jwk", tokens.sign_rs256(claims, key, header))]


def _remote_key(member: str) -> Attack:
    def forge(claims: dict[str, Any], hmac: str) -> Forged:
        header = {member: UNREACHABLE_KEYS, "kid": "conformance"}
        return [
            (f"RS256 with {member} {UNREACHABLE_KEYS}", tokens.sign_rs256(claims, None, header))
        ]

    return forge


def _weak_secret(claims: dict[str, Any], hmac: str) -> Forged:
    return [
        (f"{hmac} keyed {secret!r}", tokens.sign_hmac(claims, secret, hmac))
        for secret in weak_secrets()
    ]


WITHOUT_SECRET: dict[str, Attack] = {
    "kid_traversal": _kid_traversal,
    "kid_sql": _kid_sql,
    "embedded_jwk": _embedded_jwk,
    "jku": _remote_key("jku"),
    "x5u": _remote_key("x5u"),
    "weak_secret": _weak_secret,
}
WITH_SECRET = ("nbf_future", "iat_future")
ATTACK_NAMES = (*list(WITHOUT_SECRET)[:5], "key_confusion", *WITH_SECRET, "weak_secret")


def in_the_future(attack: str, claims: dict[str, Any]) -> dict[str, Any]:
    """The claims of ``nbf_future`` / ``iat_future``: valid but for one time claim."""
    now = int(time.time())
    if attack == "nbf_future":
        return {**claims, "nbf": now + FUTURE, "exp": now + 2 * FUTURE}
    return {**claims, "iat": now + FUTURE, "exp": now + 2 * FUTURE}


def hmac_algorithm(header: dict[str, Any]) -> str:
    """The HMAC algorithm to forge with: the genuine token's when it is one (a target that
    pins it refuses any other whatever the key), else HS256."""
    alg = header.get("alg")
    return alg if isinstance(alg, str) and alg in tokens.HMAC_HASHES else "HS256"


def key_confusion(
    claims: dict[str, Any], target: Target, profile: Profile, model: TargetModel | None
) -> Forged:
    """HS256 keyed with each RSA public key the target publishes, as PEM (with and without
    its final newline: libraries differ in what they read from a key file)."""
    where, url = _published_keys(target, profile, model)
    forged: Forged = []
    for index, pem in enumerate(_rsa_pems(target, url, where)):
        for variant, key in (("PEM", pem), ("PEM stripped", pem.strip())):
            forged.append((f"HS256 keyed with key {index} of {where} ({variant})",
                           tokens.sign_hmac(claims, key)))  # fmt: skip
    if not forged:
        raise Inapplicable(f"{where} holds no RSA public key")
    return forged


def _published_keys(target: Target, profile: Profile, model: TargetModel | None) -> tuple[str, str]:
    if profile.jwt.jwks_url:
        return f"[jwt] jwks_url {profile.jwt.jwks_url}", profile.jwt.jwks_url
    for url in _discovery_urls(model):
        body = _get_json(target, url, f"the OpenID Connect discovery document {url}")
        jwks = body.get("jwks_uri") if isinstance(body, dict) else None
        if isinstance(jwks, str) and jwks:
            return f"the jwks_uri {jwks} of {url}", jwks
    raise Inapplicable(
        "the target publishes no public key: its document declares no OpenID Connect "
        "discovery URL and the profile gives no [jwt] jwks_url"
    )


def _discovery_urls(model: TargetModel | None) -> Iterator[str]:
    document = model.document.source if model is not None and model.document else {}
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    for scheme in (schemes or {}).values():
        if isinstance(scheme, dict) and scheme.get("type") == "openIdConnect":
            url = scheme.get("openIdConnectUrl")
            if isinstance(url, str) and url:
                yield url


def _rsa_pems(target: Target, url: str, where: str) -> Iterator[str]:
    body = _get_json(target, url, where)
    keys = body.get("keys") if isinstance(body, dict) else None
    for jwk in keys if isinstance(keys, list) else []:
        if isinstance(jwk, dict):
            try:
                yield tokens.rsa_public_pem(jwk)
            except ValueError:
                continue


def _get_json(target: Target, url: str, where: str) -> Any:
    try:
        with target.client() as client:
            response = client.get(url)
    except httpx.HTTPError as error:
        raise Inapplicable(f"{where} cannot be read: {error}") from None
    if response.status_code != 200 or len(response.content) > JWKS_CAP:
        raise Inapplicable(f"{where} answers {response.status_code}, not a key set")
    try:
        return response.json()
    except ValueError:
        raise Inapplicable(f"{where} is not JSON") from None
