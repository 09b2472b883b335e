"""The challenge every 401 carries (AUTH-02, AUTH-06, AUTH-07; RFC 6750 §3, RFC 9110 §11.6.1)."""

from __future__ import annotations

import re

import httpx

from conformance.assertions.describe import mismatch


def assert_challenge(response: httpx.Response, scheme: str = "Bearer") -> None:
    """A 401 answer names ``scheme`` in ``WWW-Authenticate``."""
    __tracebackhide__ = True
    challenge = response.headers.get("WWW-Authenticate", "")
    if not challenge.strip().lower().startswith(scheme.lower()):
        mismatch(f"a 401 without a {scheme} challenge (AUTH-06/07; RFC 6750 §3)",
                 f"WWW-Authenticate: {scheme} …", response)  # fmt: skip


def challenges(response: httpx.Response, scheme: str) -> bool:
    """Whether a WWW-Authenticate challenge names ``scheme`` (any parameters after it).

    A header may hold several challenges (RFC 9110 §11.6.1): the scheme may follow a comma.
    """
    pattern = re.compile(rf"(?:^|,)\s*{re.escape(scheme)}(?=\s|,|$)", re.IGNORECASE)
    return any(pattern.search(value) for value in response.headers.get_list("WWW-Authenticate"))
