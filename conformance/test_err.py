"""ERR — one error envelope everywhere (SPEC.md, tutorial Example 51)."""

from __future__ import annotations

import re

import httpx
import pytest
from pytest_conformance import Profile, Target, check, require

from conformance import situations
from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import (
    assert_envelope,
    assert_error_code,
    assert_message,
    assert_problem_details,
)
from conformance.assertions.secrets import assert_no_secrets
from conformance.authorized import signed_in
from conformance.situations import Situation

# What a 500 must not reveal: tracebacks, source locations, exception reprs.
LEAK_PATTERNS = {
    "a Python traceback": re.compile(r"Traceback \(most recent call last\)"),
    "a source file location": re.compile(r"File \"[^\"]+\", line \d+|[\w/\\.-]+\.py\b"),
    # "ValueError: ...", "SimulatedFailure(...)": a CamelCase class name opening its text
    "an exception's type and text": re.compile(r"\b[A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+\s*[:(]"),
    "a Python module path": re.compile(r"\b[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)+\.[A-Z]\w+"),
}


@check("ERR-01", "every error answer carries the JSON envelope", ref="Ex 51")
@pytest.mark.parametrize("situation", situations.params())
def test_error_envelope(situation: Situation, target: Target, conformance_profile: Profile) -> None:
    response = situation.run(target, conformance_profile)
    assert_envelope(response, conformance_profile.envelope)


@check("ERR-02", "error_code follows the status", ref="Ex 51")
@pytest.mark.parametrize("situation", situations.params())
def test_error_code(situation: Situation, target: Target, conformance_profile: Profile) -> None:
    style = conformance_profile.envelope_style
    if not style.coded:
        pytest.skip(f"the profile's envelope '{style.name}' carries no error code or status member")
    response = situation.run(target, conformance_profile)
    assert_error_code(response, style)


def _assert_validation_entry(response: httpx.Response, profile: Profile, loc: list[str]) -> None:
    __tracebackhide__ = True
    style = profile.envelope_style
    if not style.structured_details:
        pytest.skip(f"the profile's envelope '{style.name}' has no structured validation details")
    envelope = assert_envelope(response, style)
    if style.validation_message:
        assert_message(envelope, profile.messages.validation, response, "422 message (ERR-03)")
    problem = style.validation_problem(envelope.details, loc)
    if problem is not None:
        mismatch(problem[0], problem[1], response)


@check("ERR-03", "422 names the failed fields", ref="Ex 51")
def test_validation_details_locate_path_field(target: Target, conformance_profile: Profile) -> None:
    response = situations.BY_NAME["validation"].run(target, conformance_profile)
    _assert_validation_entry(response, conformance_profile, ["path", "item_id"])


@check("ERR-03", "422 names the failed body fields", ref="Ex 51")
def test_validation_details_locate_body_field(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        require(conformance_profile, "pagination")
        response = client.post(conformance_profile.paths.items, json={"name": "x", "price": "abc"})
        status = conformance_profile.errors.validation_status
        if response.status_code != status:
            mismatch("a non-numeric price was not rejected", f"status {status}", response)
        _assert_validation_entry(response, conformance_profile, ["body", "price"])


@check("ERR-04", "WWW-Authenticate survives the envelope on 401", ref="Ex 51; RFC 9110 §11.6.1")
def test_401_keeps_www_authenticate(target: Target, conformance_profile: Profile) -> None:
    auth = conformance_profile.auth
    if not auth.challenge or auth.unauthenticated_status != 401:
        pytest.skip(
            "the profile says the target sends no 401 challenge ([auth] challenge, "
            "unauthenticated_status); the strict AUTH-06 check reports it"
        )
    response = situations.BY_NAME["unauthenticated"].run(target, conformance_profile)
    if not response.headers.get("WWW-Authenticate"):
        mismatch("the 401 lost its WWW-Authenticate header", "WWW-Authenticate: Bearer", response,
                 hint="pass the HTTPException's headers on in the error handler")  # fmt: skip


@check("ERR-04", "Retry-After survives the envelope on 429", ref="Ex 51; RFC 6585 §4")
def test_429_keeps_retry_after(target: Target, conformance_profile: Profile) -> None:
    response = situations.BY_NAME["rate_limited"].run(target, conformance_profile)
    value = response.headers.get("Retry-After", "")
    if not value.strip().isdigit():
        mismatch("the 429 lost its Retry-After header", "Retry-After: <seconds>", response,
                 hint="pass the HTTPException's headers on in the error handler")  # fmt: skip


@check("ERR-04", "Allow survives the envelope on 405", ref="Ex 51; RFC 9110 §15.5.6")
def test_405_keeps_allow(target: Target, conformance_profile: Profile) -> None:
    response = situations.BY_NAME["method_not_allowed"].run(target, conformance_profile)
    if not response.headers.get("Allow"):
        mismatch(
            "the 405 lost its Allow header",
            "Allow: <the methods the route takes>",
            response,
            hint="pass the HTTPException's headers on in the error handler",
        )


@check("ERR-05", "a 500 reveals no internals", ref="Ex 51; OWASP error handling")
def test_500_reveals_nothing(target: Target, conformance_profile: Profile) -> None:
    response = situations.BY_NAME["server_error"].run(target, conformance_profile)
    text = response.text
    for what, pattern in LEAK_PATTERNS.items():
        found = pattern.search(text)
        if found:
            mismatch(f"the 500 body reveals {what}: {found.group(0)!r}", "a generic message",
                     response)  # fmt: skip
    assert_no_secrets(response, conformance_profile)  # names the secret's kind, never its value


@check("ERR-06", "RFC 9457 problem details when the profile asks for them", ref="RFC 9457 §3")
@pytest.mark.parametrize("situation", situations.params())
def test_problem_details(
    situation: Situation, target: Target, conformance_profile: Profile
) -> None:
    if conformance_profile.envelope != "rfc9457":
        pytest.skip(
            f"the profile's envelope is '{conformance_profile.envelope}' "
            "(set envelope = 'rfc9457' to check)"
        )
    response = situation.run(target, conformance_profile)
    assert_problem_details(response)
