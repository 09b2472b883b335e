"""No configured secret in a response body (LIFE-02, ERR-05).

The plugin also searches every response the suite receives (``pytest_conformance``'s
response watch); both use the same secrets: the profile's ``secrets`` and ``[jwt] secret``.
"""

from __future__ import annotations

import httpx
from pytest_conformance import Profile
from pytest_conformance.observation.secret_search import configured_secrets, found_secrets


def assert_no_secrets(response: httpx.Response, profile: Profile) -> None:
    """Fail if any configured secret appears in the body (read in full); never shows it."""
    __tracebackhide__ = True
    found = found_secrets(response.content, configured_secrets(profile))
    if found:
        request = response.request
        raise AssertionError(
            f"the body contains a configured secret (LIFE-02): {', '.join(found)}\n"
            "  expected: no secret\n"
            f"  request:  {request.method} {request.url}\n"
            f"  status:   {response.status_code}\n"
            "  hint:     never put settings' secret values into an answer "
            "(the secret is not shown here)"
        )
