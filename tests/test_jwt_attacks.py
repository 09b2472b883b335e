"""AUTH-10's forgeries, unit by unit: what reaches no target of ours (key confusion needs a
published RSA key; our targets sign with HMAC) is proven here."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from pytest_conformance import Profile

from conformance import jwt_attacks, tokens
from conformance.forgeries import ghost_subject
from conformance.signing_key import signs


class _KeyServer:
    """A stand-in target that publishes one key set at /jwks.json."""

    def __init__(self, keys: list[dict[str, Any]]) -> None:
        self.keys = keys

    def client(self) -> httpx.Client:
        def answer(request: httpx.Request) -> httpx.Response:
            if request.url.path == "/jwks.json":
                return httpx.Response(200, json={"keys": self.keys})
            return httpx.Response(404)

        return httpx.Client(base_url="http://target", transport=httpx.MockTransport(answer))


def test_the_public_jwk_round_trips_to_the_key_s_pem() -> None:
    key = tokens.new_rsa_key()
    pem = tokens.rsa_public_pem(tokens.public_jwk(key))
    expected = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert pem == expected.decode("ascii")
    with pytest.raises(ValueError):
        tokens.rsa_public_pem({"kty": "EC", "x": "AA", "y": "AA"})


def test_key_confusion_signs_hs256_with_each_published_rsa_key() -> None:
    key = tokens.new_rsa_key()
    server = _KeyServer([tokens.public_jwk(key), {"kty": "oct", "k": "c2VjcmV0"}])
    profile = Profile.model_validate({"jwt": {"jwks_url": "/jwks.json"}})
    forged = jwt_attacks.key_confusion({"sub": "alice"}, server, profile, None)  # type: ignore[arg-type]
    pem = tokens.rsa_public_pem(tokens.public_jwk(key))
    variants = (pem, pem.strip())
    assert [signs(token, key) for (_, token), key in zip(forged, variants, strict=True)] == [
        True,
        True,
    ]
    assert all(tokens.read_unverified(token)[0]["alg"] == "HS256" for _, token in forged)


def test_key_confusion_is_not_applicable_without_a_published_key() -> None:
    with pytest.raises(jwt_attacks.Inapplicable, match="publishes no public key"):
        jwt_attacks.key_confusion({"sub": "alice"}, _KeyServer([]), Profile(), None)  # type: ignore[arg-type]
    profile = Profile.model_validate({"jwt": {"jwks_url": "/jwks.json"}})
    with pytest.raises(jwt_attacks.Inapplicable, match="no RSA public key"):
        jwt_attacks.key_confusion({"sub": "alice"}, _KeyServer([]), profile, None)  # type: ignore[arg-type]


def test_header_attacks_carry_what_they_name() -> None:
    claims = {"sub": "alice", "exp": 2_000_000_000}
    [(_, traversal)] = jwt_attacks.WITHOUT_SECRET["kid_traversal"](claims, "HS384")
    header, payload = tokens.read_unverified(traversal)
    assert header == {"alg": "HS384", "typ": "JWT", "kid": jwt_attacks.KID_TRAVERSAL}
    assert payload == claims and signs(traversal, "")
    [(_, sql)] = jwt_attacks.WITHOUT_SECRET["kid_sql"](claims, "HS256")
    assert signs(sql, "conformance")
    [(_, embedded)] = jwt_attacks.WITHOUT_SECRET["embedded_jwk"](claims, "HS256")
    assert tokens.read_unverified(embedded)[0]["jwk"]["kty"] == "RSA"
    for member in ("jku", "x5u"):
        [(_, remote)] = jwt_attacks.WITHOUT_SECRET[member](claims, "HS256")
        assert tokens.read_unverified(remote)[0][member] == jwt_attacks.UNREACHABLE_KEYS


def test_the_weak_secret_dictionary_ships_and_signs_each_entry() -> None:
    secrets = jwt_attacks.weak_secrets()
    assert 30 <= len(secrets) <= 60 and len(set(secrets)) == len(secrets)
    assert "changethis" in secrets and "secret" in secrets
    forged = jwt_attacks.WITHOUT_SECRET["weak_secret"]({"sub": "alice"}, "HS256")
    assert all(signs(token, secret) for (_, token), secret in zip(forged, secrets, strict=True))


def test_the_hmac_algorithm_follows_the_genuine_token() -> None:
    assert jwt_attacks.hmac_algorithm({"alg": "HS512"}) == "HS512"
    assert jwt_attacks.hmac_algorithm({"alg": "RS256"}) == "HS256"


def test_time_claims_in_the_future() -> None:
    nbf = jwt_attacks.in_the_future("nbf_future", {"sub": "a", "iat": 1})
    iat = jwt_attacks.in_the_future("iat_future", {"sub": "a", "iat": 1})
    assert nbf["nbf"] > nbf["iat"] and nbf["exp"] > nbf["nbf"]
    assert iat["iat"] > 1 and iat["exp"] > iat["iat"]
    assert json.dumps(nbf) and "nbf" not in iat


def test_a_ghost_subject_keeps_the_shape_of_the_real_one() -> None:
    assert isinstance(ghost_subject(7), int)
    real = "3f2b1c9e-6a7d-4e2f-9b1a-0c8d7e6f5a4b"
    ghost = ghost_subject(real)
    assert ghost != real and len(ghost) == len(real)
    assert str(ghost_subject("alice")).startswith("ghost-")
