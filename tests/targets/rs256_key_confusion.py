"""``rs256_keys`` with the classic flaw: an HS256 token is verified with the published
RSA public key's PEM as its HMAC secret (RFC 8725 §2.1), so AUTH-10's key confusion signs
a token the app accepts."""

from tests.targets.rs256_keys import make_app

app = make_app(key_confusion=True)
