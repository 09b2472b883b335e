"""JWTs built by the suite itself: reading them, and forging every AUTH-07 attack.

Hand-built on purpose: a JWT library would refuse to produce most of these tokens
(``alg: none``, a payload tampered under its original signature).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

HMAC_HASHES = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _segment(data: dict[str, Any]) -> str:
    return b64url(json.dumps(data, separators=(",", ":")).encode())


def read_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and payload of a compact JWS, without checking the signature."""
    header_part, payload_part, _ = token.split(".")
    header = json.loads(b64url_decode(header_part))
    payload = json.loads(b64url_decode(payload_part))
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ValueError("JWT header and payload must be JSON objects")
    return header, payload


def sign_hmac(
    payload: dict[str, Any],
    key: str,
    algorithm: str = "HS256",
    header: dict[str, Any] | None = None,
) -> str:
    """HMAC-signed; ``header`` adds members (``kid``, …) to ``alg`` and ``typ``."""
    full_header = {"alg": algorithm, "typ": "JWT", **(header or {})}
    signing_input = f"{_segment(full_header)}.{_segment(payload)}"
    digest = hmac.new(key.encode(), signing_input.encode(), HMAC_HASHES[algorithm]).digest()
    return f"{signing_input}.{b64url(digest)}"


def unsigned(payload: dict[str, Any], *, keep_signature_part: str = "") -> str:
    """``alg: none``; with or without something in the signature part."""
    return f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(payload)}.{keep_signature_part}"


def tampered(token: str, changes: dict[str, Any]) -> str:
    """The payload changed, the original header and signature kept."""
    header_part, payload_part, signature = token.split(".")
    payload = json.loads(b64url_decode(payload_part))
    payload.update(changes)
    return f"{header_part}.{_segment(payload)}.{signature}"


def sign_rs256(
    payload: dict[str, Any],
    key: rsa.RSAPrivateKey | None = None,
    header: dict[str, Any] | None = None,
) -> str:
    """Signed with ``key``, by default the run's own RSA key, which the target cannot know."""
    key = key or new_rsa_key()
    full_header = {"alg": "RS256", "typ": "JWT", **(header or {})}
    signing_input = f"{_segment(full_header)}.{_segment(payload)}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


@functools.cache
def new_rsa_key() -> rsa.RSAPrivateKey:
    """The run's own RSA key: made once (70 ms each), as unknown to the target as any."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_jwk(key: rsa.RSAPrivateKey) -> dict[str, str]:
    """The public half of ``key`` as a JWK (RFC 7517 §4, RFC 7518 §6.3.1)."""
    numbers = key.public_key().public_numbers()
    return {
        "kty": "RSA",
        "e": b64url(numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")),
        "n": b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
    }


def rsa_public_pem(jwk: dict[str, Any]) -> str:
    """The PEM (SubjectPublicKeyInfo) of an RSA JWK; ``ValueError`` when it is not one."""
    if (
        jwk.get("kty") != "RSA"
        or not isinstance(jwk.get("n"), str)
        or not isinstance(jwk.get("e"), str)
    ):
        raise ValueError("not an RSA public JWK")
    numbers = rsa.RSAPublicNumbers(
        int.from_bytes(b64url_decode(jwk["e"]), "big"),
        int.from_bytes(b64url_decode(jwk["n"]), "big"),
    )
    pem = numbers.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode("ascii")
