"""A JSON login the profile describes: its body template and the pointer to the token."""

from __future__ import annotations

import httpx
import pytest
from pytest_conformance.profile.sections import profile_from_mapping

from conformance import session

CONDUIT = {
    "auth": {
        "scheme": "Token",
        "login_body": '{"user": {"email": "{username}", "password": "{password}"}}',
        "token_pointer": "/user/token",
    }
}


def test_the_template_is_filled_and_the_token_read_at_the_pointer() -> None:
    profile = profile_from_mapping(CONDUIT, "test")
    sent: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, json={"user": {"email": "a@b.c", "token": "t0k"}})

    with httpx.Client(transport=httpx.MockTransport(answer), base_url="http://t") as client:
        token = session.request_token(client, profile, "a@b.c", "p{w}", "/api/users/login")
    assert token == "t0k"
    assert sent == [b'{"user":{"email":"a@b.c","password":"p{w}"}}']
    assert session.bearer(token, profile) == {"Authorization": "Token t0k"}


@pytest.mark.parametrize(
    ("pointer", "found"),
    [("/user/token", "x"), ("/list/1", 2), ("/a~1b", 3), ("/missing/deeper", None)],
)
def test_pointers_follow_rfc6901(pointer: str, found: object) -> None:
    document = {"user": {"token": "x"}, "list": [1, 2], "a/b": 3}
    assert session.pointed(document, pointer) == found
