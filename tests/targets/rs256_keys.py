"""An API signing RS256 tokens and publishing its public key, as OpenID Connect providers do.

- ``POST /token``: the OAuth2 password form (the profile maps it); tokens are RS256, signed
  with a key made at import, and carry ``exp``.
- ``GET /.well-known/openid-configuration``: a discovery document whose ``jwks_uri`` is
  ``/.well-known/jwks.json``, the RSA public key as a JWK. The OpenAPI document declares
  an ``openIdConnect`` security scheme pointing at the discovery document, so the suite
  finds the key from the document alone (AUTH-10's key confusion).
- ``GET /users/me``: the token's user; FastAPI's error bodies; every 401 is documented.

``make_app(key_confusion=True)`` builds the classic vulnerable variant
(``rs256_key_confusion.py``): a token whose header says HS256 is checked as an HMAC keyed
with the public key's PEM, so anyone holding the published key can sign (RFC 8725 §2.1).
"""

import base64
import hashlib
import hmac
import json
import time
from typing import Annotated, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordRequestForm, OpenIdConnect
from jose import JWTError, jwt
from pydantic import BaseModel

from tests.targets._shared import User, authenticate, make_users

DISCOVERY = "/.well-known/openid-configuration"
JWKS = "/.well-known/jwks.json"
USERS = make_users({"grace": ("grace-password-1", ())})
CHALLENGE = {"WWW-Authenticate": "Bearer"}
KID = "rs256-keys-1"

_private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PRIVATE_PEM = _private.private_bytes(
    serialization.Encoding.PEM,
    serialization.PrivateFormat.PKCS8,
    serialization.NoEncryption(),
).decode("ascii")
PUBLIC_PEM = (
    _private.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode("ascii")
)


def _b64url(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


_numbers = _private.public_key().public_numbers()
PUBLIC_JWK = {
    "kty": "RSA",
    "use": "sig",
    "alg": "RS256",
    "kid": KID,
    "n": _b64url(_numbers.n),
    "e": _b64url(_numbers.e),
}

openid = OpenIdConnect(openIdConnectUrl=DISCOVERY, auto_error=False)


class Message(BaseModel):
    detail: str


UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": Message, "description": "Missing or invalid credentials"}
}


class Token(BaseModel):
    access_token: str
    token_type: str


class Me(BaseModel):
    username: str


def _confused_claims(token: str) -> dict[str, Any] | None:
    """The vulnerable check: an HS256 token verified with the public key's PEM as secret."""
    header_part, payload_part, signature_part = token.split(".")
    signing_input = f"{header_part}.{payload_part}".encode("ascii")
    expected = hmac.new(PUBLIC_PEM.encode("ascii"), signing_input, hashlib.sha256).digest()
    signature = base64.urlsafe_b64decode(signature_part + "=" * (-len(signature_part) % 4))
    if not hmac.compare_digest(expected, signature):
        return None
    payload = base64.urlsafe_b64decode(payload_part + "=" * (-len(payload_part) % 4))
    claims = json.loads(payload)
    return claims if isinstance(claims, dict) else None


def make_app(*, key_confusion: bool = False) -> FastAPI:
    def current_user(authorization: Annotated[str | None, Depends(openid)]) -> User:
        refused = HTTPException(401, "Could not validate credentials", CHALLENGE)
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise refused
        try:
            header = jwt.get_unverified_header(token)
            if key_confusion and header.get("alg") == "HS256":
                claims = _confused_claims(token)
            else:
                claims = jwt.decode(
                    token, PUBLIC_PEM, algorithms=["RS256"], options={"require_exp": True}
                )
        except (JWTError, ValueError):
            raise refused from None
        if claims is None or not isinstance(claims.get("exp"), int) or claims["exp"] < time.time():
            raise refused
        if claims.get("iat", 0) > time.time() + 60:
            raise refused
        user = USERS.get(str(claims.get("sub")))
        if user is None:
            raise refused
        return user

    app = FastAPI(title="Keys", version="1.0.0")

    @app.post("/token", responses=UNAUTHORIZED)
    def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
        user = authenticate(USERS, form.username, form.password)
        if user is None:
            raise HTTPException(401, "Incorrect username or password", CHALLENGE)
        now = int(time.time())
        claims = {"sub": user.username, "iat": now, "exp": now + 1800}
        signed = jwt.encode(claims, PRIVATE_PEM, algorithm="RS256", headers={"kid": KID})
        return Token(access_token=signed, token_type="bearer")

    @app.get(DISCOVERY, include_in_schema=False)
    def discovery() -> dict[str, Any]:
        return {"issuer": "http://keys.example", "jwks_uri": JWKS}

    @app.get(JWKS, include_in_schema=False)
    def key_set() -> dict[str, Any]:
        return {"keys": [PUBLIC_JWK]}

    @app.get("/users/me", responses=UNAUTHORIZED)
    def read_me(user: Annotated[User, Depends(current_user)]) -> Me:
        return Me(username=user.username)

    return app


app = make_app()
