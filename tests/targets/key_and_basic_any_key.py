"""``key_and_basic`` whose API key is only checked for presence: a made-up key passes."""

from tests.targets.key_and_basic import make_app

app = make_app(any_key=True)
