"""Our assertions in schemathesis's check shape, given the profile they judge by.

``ConformanceChecks(profile)`` holds one bound method per check, each a thin adapter over a
conformance assertion helper: it converts schemathesis's response to the ``httpx.Response``
our helpers read (once per response) and calls the helper, whose ``AssertionError`` is the
failure. The fuzz area builds one per run from the suite's profile; the schemathesis
extension (``schemathesis_conformance``) registers one built from ``$CONFORMANCE_PROFILE``.
Nothing here imports the extension: imports run extension → checks → plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from pytest_conformance.observation.secret_search import configured_secrets
from pytest_conformance.profile.sections import Profile

from conformance.assertions.challenge import assert_challenge
from conformance.assertions.envelope import assert_envelope, assert_error_code
from conformance.assertions.headers import assert_request_id_answer, assert_security_headers
from conformance.assertions.secrets import assert_no_secrets
from conformance.assertions.status import assert_not_server_error
from conformance.declared_schemes import DeclaredSchemes, challenge_for, kinds_of

CheckFunction = Callable[[Any, Any, Any], "bool | None"]


def to_httpx(response: Any) -> httpx.Response:
    """A schemathesis response as the httpx response our helpers read."""
    request = response.request
    request_headers = dict(getattr(request, "headers", None) or {})
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=response.content,
        request=httpx.Request(
            request.method or "GET", request.url or "http://target/", headers=request_headers
        ),
    )


def unstated_rule(status: int, body: bytes, rules: tuple[str, ...]) -> bool:
    """Whether the answer is a 422 naming one of ``rules`` (FUZZ-04 excepts such refusals)."""
    if status != 422:
        return False
    text = body.decode("utf-8", "replace")
    return any(rule in text for rule in rules)


class ConformanceChecks:
    """The six checks, judging by ``profile``; ``all`` lists them in schemathesis's shape."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._last: tuple[Any, httpx.Response] | None = None

    def as_httpx(self, response: Any) -> httpx.Response:
        """The response converted once, however many checks read it."""
        last = self._last
        if last is not None and last[0] is response:
            return last[1]
        converted = to_httpx(response)
        self._last = (response, converted)
        return converted

    NAMES = (
        "conformance_no_server_error",
        "conformance_security_headers",
        "conformance_error_envelope",
        "conformance_request_id",
        "conformance_bearer_challenge",
        "conformance_no_secrets",
    )

    def all(self) -> tuple[CheckFunction, ...]:
        return tuple(getattr(self, name) for name in self.NAMES)

    def conformance_no_server_error(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """FUZZ-01: no generated request gets a 5xx answer."""
        assert_not_server_error(self.as_httpx(response))
        return None

    def conformance_security_headers(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """MW-01: every answer carries the security headers (unless the profile says none)."""
        if self.profile.capabilities.security_headers:
            assert_security_headers(self.as_httpx(response))
        return None

    def conformance_error_envelope(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """ERR-01/02: every 4xx/5xx answer carries the profile's envelope and the status's code."""
        if response.status_code >= 400:
            answer = self.as_httpx(response)
            assert_envelope(answer, self.profile.envelope)
            assert_error_code(answer, self.profile.envelope)
        return None

    def conformance_request_id(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """MW-02: a sent request ID is echoed; without one, the answer carries a generated one."""
        if self.profile.capabilities.request_id:
            assert_request_id_answer(self.as_httpx(response), self.profile.request_id_header)
        return None

    def conformance_bearer_challenge(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """AUTH-06/07: every 401 carries ``WWW-Authenticate`` naming the scheme the
        operation takes: the profile's for tokens, ``Basic`` for HTTP Basic (an API key
        alone has no challenge scheme)."""
        auth = self.profile.auth
        if response.status_code == 401 and auth.challenge:
            scheme = challenge_for(_schemes_of(getattr(case, "operation", None)), auth.scheme)
            if scheme is not None:
                assert_challenge(self.as_httpx(response), scheme)
        return None

    def conformance_no_secrets(self, ctx: Any, response: Any, case: Any) -> bool | None:
        """LIFE-02: no configured secret (``secrets``, ``[jwt] secret``) in any body."""
        if configured_secrets(self.profile):
            assert_no_secrets(self.as_httpx(response), self.profile)
        return None

    def keeps(self, failure: Any, response: Any, operation: Any = None) -> bool:
        """Whether a failure stands. A schema-valid request refused is FUZZ-04's only when
        the refusal says "invalid": not a 422 naming one of the profile's unstated rules,
        nor a status the operation documents that is not the profile's validation status
        (``400 REGISTER_USER_ALREADY_EXISTS`` where validation is a 422: a business rule)."""
        if "positive_data_acceptance" not in getattr(failure, "checks", ()):
            return True
        status = response.status_code
        if unstated_rule(status, response.content, self.profile.fuzz.unstated_rules):
            return False
        validation = self.profile.errors.validation_status
        return status == validation or str(status) not in _documented_statuses(operation)


def _schemes_of(operation: Any) -> DeclaredSchemes:
    """The kinds of credentials a schemathesis operation declares (its own ``security``,
    else the document's); none known without an operation (a token's rules apply)."""
    if operation is None:
        return DeclaredSchemes(token=True, basic=False, api_keys=())
    root = operation.schema.raw_schema
    security = operation.definition.raw.get("security", root.get("security"))
    names = {
        str(name)
        for requirement in (security if isinstance(security, list) else [])
        if isinstance(requirement, dict)
        for name in requirement
    }
    components = root.get("components")
    defined = components.get("securitySchemes") if isinstance(components, dict) else None
    return kinds_of(sorted(names), defined if isinstance(defined, dict) else {})


def _documented_statuses(operation: Any) -> set[str]:
    responses = operation.definition.raw.get("responses") if operation is not None else None
    return {str(status) for status in responses} if isinstance(responses, dict) else set()
