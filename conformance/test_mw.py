"""MW — middleware and request context (SPEC.md, tutorial Examples 42 and 49)."""

from __future__ import annotations

import logging
import random
import re
import secrets
import string
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from pytest_conformance import Profile, Target, check, require

from conformance import situations
from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import json_body
from conformance.assertions.headers import (
    REQUEST_ID_PATTERN,
    assert_generated_request_id,
    assert_security_headers,
)
from conformance.authorized import signed_in

Provoke = Callable[[Target, Profile], httpx.Response]


def _context_path(profile: Profile, item_id: int | str = 1) -> str:
    return profile.paths.request_context.format(item_id=item_id)


def _plain_path(profile: Profile) -> str:
    """A route answering 200: request-context, else /health, else the OpenAPI document."""
    capabilities = profile.capabilities
    if capabilities.request_context:
        return _context_path(profile)
    return profile.paths.health if capabilities.health else profile.paths.openapi


def _ok(target: Target, profile: Profile) -> httpx.Response:
    with signed_in(target, profile) as client:
        return client.get(_plain_path(profile))


def _docs(target: Target, profile: Profile) -> httpx.Response:
    require(profile, "docs")
    with signed_in(target, profile) as client:
        return client.get(profile.paths.docs)


def _openapi(target: Target, profile: Profile) -> httpx.Response:
    with signed_in(target, profile) as client:
        return client.get(profile.paths.openapi)


def _sub_app(target: Target, profile: Profile) -> httpx.Response:
    require(profile, "sub_apps")
    path = profile.paths.sub_apps[0] + profile.paths.sub_app_item.format(item_id=1)
    with signed_in(target, profile) as client:
        return client.get(path)


def _stream(target: Target, profile: Profile) -> httpx.Response:
    """Only the head of a stream: the headers must be there before the body ends."""
    require(profile, "streams")
    with (
        signed_in(target, profile) as client,
        client.stream("GET", profile.paths.stream_events) as response,
    ):
        return response


def _preflight(target: Target, profile: Profile) -> httpx.Response:
    require(profile, "cors")
    with signed_in(target, profile) as client:
        return client.options(_plain_path(profile), headers=_preflight_headers(profile))


def _situation(name: str) -> Provoke:
    return situations.BY_NAME[name].run


RESPONSE_KINDS: dict[str, Provoke] = {
    "ok": _ok,
    "docs": _docs,
    "openapi": _openapi,
    "sub_app": _sub_app,
    "stream": _stream,
    "cors_preflight": _preflight,
    **{situation.name: situation.run for situation in situations.SITUATIONS},
}


@check(
    "MW-01",
    "security headers on every response",
    ref="Ex 42; OWASP secure headers",
    needs=("security_headers",),
)
@pytest.mark.parametrize("kind", list(RESPONSE_KINDS))
def test_security_headers(kind: str, target: Target, conformance_profile: Profile) -> None:
    response = RESPONSE_KINDS[kind](target, conformance_profile)
    assert_security_headers(response)


@check("MW-02", "a client's X-Request-ID is echoed", ref="Ex 49", needs=("request_id",))
@pytest.mark.parametrize("kind", ["ok", "unknown_route"])
def test_request_id_echoed(kind: str, target: Target, conformance_profile: Profile) -> None:
    header = conformance_profile.request_id_header
    sent = f"conformance-{uuid.uuid4().hex}"
    with signed_in(target, conformance_profile, headers={header: sent}) as client:
        if kind == "ok":
            response = client.get(_plain_path(conformance_profile))
        else:
            response = client.get(f"/conformance-no-such-route-{uuid.uuid4().hex}")
    if response.headers.get(header) != sent:
        mismatch(f"{header} not echoed (MW-02)", f"{header}: {sent}", response)


@check(
    "MW-02",
    "a request without X-Request-ID gets a generated UUID",
    ref="Ex 49",
    needs=("request_id",),
)
@pytest.mark.parametrize("kind", ["ok", "unknown_route"])
def test_request_id_generated(kind: str, target: Target, conformance_profile: Profile) -> None:
    header = conformance_profile.request_id_header
    seen = set()
    with signed_in(target, conformance_profile) as client:
        for _ in range(2):
            if kind == "ok":
                response = client.get(_plain_path(conformance_profile))
            else:
                response = client.get(f"/conformance-no-such-route-{uuid.uuid4().hex}")
            seen.add(assert_generated_request_id(response, header, sent=None))
    if len(seen) != 2:
        mismatch(f"two requests got the same generated {header}", "a new UUID per request",
                 response)  # fmt: skip


def _context_body(response: httpx.Response, item_id: int) -> str:
    __tracebackhide__ = True
    if response.status_code != 200:
        mismatch("request-context answer", "status 200", response)
    body = json_body(response, "request-context answer")
    if body.get("item_id") != item_id or not isinstance(body.get("request_id"), str):
        mismatch("request-context body (MW-03)",
                 f'{{"item_id": {item_id}, "request_id": str}}', response)  # fmt: skip
    return str(body["request_id"])


@check(
    "MW-03",
    "the handler sees the request's own ID",
    ref="Ex 49",
    needs=("request_id", "request_context"),
)
def test_request_context_matches_header(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        header = conformance_profile.request_id_header
        for sent in (None, f"conformance-{uuid.uuid4().hex}"):
            headers = {header: sent} if sent else {}
            response = client.get(_context_path(conformance_profile, 7), headers=headers)
            body_id = _context_body(response, 7)
            if body_id != response.headers.get(header) or (sent and body_id != sent):
                mismatch(f"body request_id differs from the {header} header (MW-03)",
                         f"request_id == {sent or 'the header'}", response)  # fmt: skip


@check(
    "MW-03",
    "no request ID bleeds between 50 concurrent requests",
    ref="Ex 49",
    needs=("request_id", "request_context"),
)
def test_request_context_no_bleed(target: Target, conformance_profile: Profile) -> None:
    header = conformance_profile.request_id_header
    count = 50

    def one(index: int) -> tuple[str, httpx.Response]:
        sent = f"bleed-{index}-{uuid.uuid4().hex[:12]}"
        with signed_in(target, conformance_profile, headers={header: sent}) as client:
            return sent, client.get(_context_path(conformance_profile, index))

    with ThreadPoolExecutor(max_workers=count) as pool:
        answers = list(pool.map(one, range(count)))
    for index, (sent, response) in enumerate(answers):
        body_id = _context_body(response, index)
        if body_id != sent or response.headers.get(header) != sent:
            mismatch(f"request {index} of {count} concurrent ones saw another request's ID",
                     f"request_id and {header} == {sent}", response)  # fmt: skip


_VALID = string.ascii_letters + string.digits + "._-"


@check(
    "MW-04",
    "an over-long or unsafe X-Request-ID is replaced",
    ref="SPEC MW-04 (extension)",
    needs=("request_id", "request_context"),
)
@pytest.mark.parametrize(
    "sent",
    [
        pytest.param("a" * 129, id="129-chars"),
        pytest.param("has spaces in it", id="spaces"),
        pytest.param("<script>alert(1)</script>", id="markup"),
        pytest.param("id;rm -rf /", id="shell"),
        pytest.param("line%0d%0aSet-Cookie:x=1", id="encoded-crlf"),
    ],
)
def test_unsafe_request_id_replaced(
    sent: str, target: Target, conformance_profile: Profile
) -> None:
    with signed_in(target, conformance_profile) as client:
        header = conformance_profile.request_id_header
        response = client.get(_context_path(conformance_profile, 3), headers={header: sent})
        generated = assert_generated_request_id(response, header, sent=sent)
        if _context_body(response, 3) != generated:
            mismatch("the handler saw a different ID than the response header", generated, response)


@check(
    "MW-04",
    "a safe 128-character X-Request-ID is kept",
    ref="SPEC MW-04 (extension)",
    needs=("request_id", "request_context"),
)
def test_longest_safe_request_id_kept(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        header = conformance_profile.request_id_header
        sent = "".join(random.choices(_VALID, k=128))
        assert REQUEST_ID_PATTERN.match(sent)
        response = client.get(_context_path(conformance_profile, 4), headers={header: sent})
        if response.headers.get(header) != sent:
            hint = "only IDs over 128 characters or outside [A-Za-z0-9._-] are replaced"
            mismatch(f"a valid 128-character {header} was not kept", sent, response, hint=hint)


DURATION = re.compile(r"\d+(\.\d+)?\s*ms\b")


@check("MW-05", "one access-log line per request", ref="Ex 42")
def test_access_log_line(
    target: Target, conformance_profile: Profile, caplog: pytest.LogCaptureFixture
) -> None:
    require(conformance_profile, "access_log")
    require(conformance_profile, "request_context")  # a path of its own to find in the log
    if not target.logs_visible:
        pytest.skip(f"the access log of a {target.mode!r} target is not observable from here "
                    "(use --target-app or --target-serve)")  # fmt: skip
    caplog.set_level(logging.INFO)
    item_id = secrets.randbelow(10**9) + 10**9
    path = _context_path(conformance_profile, item_id)
    identity = f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(256)}"
    with signed_in(target, conformance_profile, identity=identity) as client:
        response = client.get(path)

    def lines_about_path() -> tuple[list[str], list[str]]:
        lines = [r.getMessage() for r in caplog.records if path in r.getMessage()]
        return lines, [line for line in lines if DURATION.search(line)]

    deadline = time.monotonic() + conformance_profile.timeouts.request
    while not lines_about_path()[1] and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)  # a second line for the same request would come right after the first
    lines, access = lines_about_path()
    expected = f"one line with {identity}, GET, {path}, {response.status_code}, <duration> ms"
    if len(access) != 1:
        mismatch(f"{len(access)} access-log lines for one request (MW-05): {lines}", expected,
                 response)  # fmt: skip
    line = access[0]
    for part in (identity, "GET", str(response.status_code)):
        if part not in line:
            mismatch(f"access-log line lacks {part!r}: {line!r}", expected, response)


def _preflight_headers(profile: Profile, origin: str | None = None) -> dict[str, str]:
    return {
        "Origin": origin or profile.cors.allowed_origin,
        "Access-Control-Request-Method": "GET",
    }


def _cors_answer(kind: str, client: httpx.Client, profile: Profile, origin: str) -> httpx.Response:
    """A preflight or a simple cross-origin GET from ``origin``."""
    require(profile, "cors")
    path = _plain_path(profile)
    if kind == "preflight":
        return client.options(path, headers=_preflight_headers(profile, origin))
    return client.get(path, headers={"Origin": origin})


@check("MW-06", "CORS answers the allowed origin", ref="Ex 41; Fetch standard §3.2")
@pytest.mark.parametrize("kind", ["preflight", "simple"])
def test_cors_allowed_origin(kind: str, target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        origin = conformance_profile.cors.allowed_origin
        response = _cors_answer(kind, client, conformance_profile, origin)
        if response.headers.get("Access-Control-Allow-Origin") != origin:
            mismatch("the allowed origin got no matching Access-Control-Allow-Origin (MW-06)",
                     f"Access-Control-Allow-Origin: {origin}", response)  # fmt: skip


@check("MW-06", "CORS grants nothing to other origins", ref="Ex 41; Fetch standard §3.2")
@pytest.mark.parametrize("kind", ["preflight", "simple"])
def test_cors_other_origin(kind: str, target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        origin = conformance_profile.cors.disallowed_origin
        response = _cors_answer(kind, client, conformance_profile, origin)
        if "Access-Control-Allow-Origin" in response.headers:
            mismatch("a foreign origin got Access-Control-Allow-Origin (MW-06)",
                     "no Access-Control-Allow-Origin header", response)  # fmt: skip
