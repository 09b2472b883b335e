"""A situation that cannot be provoked names what the target answered (issue 16).

"Could not provoke the 'bad_request' error … adjust [paths]" blamed the paths for a 200 or
a 429; the message now shows the status received and a hint that fits it.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pytest_conformance import Profile

from conformance.situations import BY_NAME, Situation


def _answering(status: int) -> Situation:
    def provoke(target: Any, profile: Profile) -> httpx.Response:
        request = httpx.Request("GET", "http://target/items?limit=51")
        return httpx.Response(status, json={"items": []}, request=request)

    original = BY_NAME["bad_request"]
    return Situation(original.name, original.expected, (), provoke)


@pytest.mark.parametrize(
    ("status", "hint"),
    [
        (200, "accepted what it should refuse"),
        (429, "rate-limited"),
        (404, "adjust [paths]"),
        (500, "failed instead of refusing"),
        (403, "if 403 is its choice"),
    ],
)
def test_the_failure_names_the_status_received(status: int, hint: str) -> None:
    with pytest.raises(AssertionError) as raised:
        _answering(status).run(None, Profile())  # type: ignore[arg-type]
    message = str(raised.value)
    assert f"could not provoke the 'bad_request' error: the target answered {status}" in message
    assert f"status:   {status}" in message
    assert hint in message
    if status != 404:
        assert "[paths]" not in message
