"""ERR — one error envelope everywhere (SPEC.md, tutorial Example 51)."""

from __future__ import annotations

import re

import httpx
import pytest
from pytest_conformance import Profile, Target, check

from conformance import situations
from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import (
    VALIDATION_MESSAGE,
    assert_envelope,
    assert_error_code,
    assert_problem_details,
)
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
    response = situation.run(target, conformance_profile)
    assert_error_code(response, conformance_profile.envelope)


def _assert_validation_entry(response: httpx.Response, profile: Profile, loc: list[str]) -> None:
    __tracebackhide__ = True
    envelope = assert_envelope(response, profile.envelope)
    if envelope.message != VALIDATION_MESSAGE:
        mismatch("422 message (ERR-03)", repr(VALIDATION_MESSAGE), response)
    details = envelope.details
    if not isinstance(details, list) or not details:
        mismatch("422 details (ERR-03)", "a non-empty list of {loc, msg, type}", response)
    for entry in details:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("loc"), list)
            and isinstance(entry.get("msg"), str)
            and isinstance(entry.get("type"), str)
        ):
            mismatch("422 details entry (ERR-03)", "{loc: list, msg: str, type: str}", response)
    if not any(entry["loc"] == loc for entry in details):
        mismatch("no 422 details entry locates the bad field (ERR-03)", f"loc == {loc}", response)


@check("ERR-03", "422 names the failed fields", ref="Ex 51")
def test_validation_details_locate_path_field(target: Target, conformance_profile: Profile) -> None:
    response = situations.BY_NAME["validation"].run(target, conformance_profile)
    _assert_validation_entry(response, conformance_profile, ["path", "item_id"])


@check("ERR-03", "422 names the failed body fields", ref="Ex 51")
def test_validation_details_locate_body_field(
    client: httpx.Client, conformance_profile: Profile
) -> None:
    if not conformance_profile.capabilities.pagination:
        pytest.skip("the profile says the target has no items collection ('pagination')")
    response = client.post(conformance_profile.paths.items, json={"name": "x", "price": "abc"})
    if response.status_code != 422:
        mismatch("a non-numeric price was not rejected", "status 422", response)
    _assert_validation_entry(response, conformance_profile, ["body", "price"])


@check("ERR-04", "WWW-Authenticate survives the envelope on 401", ref="Ex 51; RFC 9110 §11.6.1")
def test_401_keeps_www_authenticate(target: Target, conformance_profile: Profile) -> None:
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
    for secret in conformance_profile.secrets:
        if secret and secret in text:
            mismatch("the 500 body contains a configured secret", "no secret", response)


@check("ERR-06", "RFC 9457 problem details when the profile asks for them", ref="RFC 9457 §3")
@pytest.mark.parametrize("situation", situations.params())
def test_problem_details(
    situation: Situation, target: Target, conformance_profile: Profile
) -> None:
    if conformance_profile.envelope != "rfc9457":
        pytest.skip("the profile's envelope is 'tutorial' (set envelope = 'rfc9457' to check)")
    response = situation.run(target, conformance_profile)
    assert_problem_details(response)
