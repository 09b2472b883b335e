"""No configured secret in a response body (LIFE-02, ERR-05)."""

from __future__ import annotations

import httpx
from pytest_conformance import Profile

from conformance.assertions.describe import mismatch


def assert_no_secrets(response: httpx.Response, profile: Profile) -> None:
    """Fail if any of the profile's ``secrets`` appears in the body (read in full)."""
    __tracebackhide__ = True
    text = response.text
    for secret in profile.secrets:
        if secret and secret in text:
            mismatch("the body contains a configured secret (LIFE-02)", "no secret", response,
                     hint="never put settings' secret values into an answer")  # fmt: skip
