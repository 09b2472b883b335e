"""No server error (FUZZ-01, ERR-05's premise): any request, valid or not, gets a non-5xx answer."""

from __future__ import annotations

import httpx

from conformance.assertions.describe import mismatch


def assert_not_server_error(response: httpx.Response) -> None:
    __tracebackhide__ = True
    if response.status_code >= 500:
        mismatch(f"a {response.status_code} answer (server error)", "a status below 500",
                 response, hint="invalid input is a 4xx, never a crash")  # fmt: skip
