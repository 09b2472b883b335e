"""``key_and_basic`` refusing Basic credentials with a Bearer challenge (RFC 7617 §2)."""

from tests.targets.key_and_basic import make_app

app = make_app(basic_challenge="Bearer")
