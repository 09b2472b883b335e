"""Sending a generated case through the suite's own target client.

schemathesis serializes the case (its requests-style transport kwargs, prepared exactly as
its CLI would send them); the bytes go out through ``Target.client``, so in-process,
served and URL targets are reached alike. Every case gets a client identity of its own:
no rate-limit budget of another check (or of the run itself) is ever spent.

Over sockets the cases share one client (whose transport never reuses a connection after a
5xx or a ``Connection: close``: ``targets/fresh_after_error.py``), and a request whose
reused connection turns out reset or closed is sent once more on a fresh one: the answers
before it stay judged, and one dropped connection never ends the run.

Generated integer path parameters in ``[1, 2**20)`` are moved up by ``2**30``: the
stateless run never reads, changes or deletes a resource another check created (small
ids are where those live; the result stays a 32-bit id); the stateful run reaches real
resources through links.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
import requests
from pytest_conformance import Profile, Target
from pytest_conformance.targets.target import new_identity
from schemathesis.core.parameters import ParameterLocation
from schemathesis.core.transport import Response

from conformance.fuzzing import stream_answers
from conformance.fuzzing.tokens import TokenSource

ID_SHIFT = 2**30
SHIFTED = 2**20
# A reused connection the server had closed: worth one more try on a fresh connection.
STALE_CONNECTION = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
_REQUEST_KEYS = ("method", "url", "headers", "params", "data", "json", "files", "cookies")
AUTH_PLACEHOLDER = "<token of the profile's fuzz.role user>"


@dataclass
class Exchange:
    """One generated request and its answer, in both shapes (ours and schemathesis's)."""

    case: Any
    prepared: requests.PreparedRequest
    answer: httpx.Response
    response: Response
    authenticated: bool

    @property
    def curl(self) -> str:
        """The reproducing request as a curl line (the token replaced by a placeholder)."""
        headers = {
            name: f"{value.split(' ', 1)[0]} {AUTH_PLACEHOLDER}"
            if name.lower() == "authorization" and self.authenticated else value
            for name, value in headers_of(self.prepared).items()
            if name.lower() not in ("x-schemathesis-testcaseid", "x-forwarded-for")
            and name.lower() not in ("user-agent", "accept-encoding", "connection", "accept")
        }  # fmt: skip
        parts = ["curl", "-X", str(self.prepared.method)]
        for name, value in headers.items():
            parts += ["-H", _quote(f"{name}: {value}")]
        body = body_of(self.prepared)
        if body:
            parts += ["-d", _quote(body.decode("utf-8", "backslashreplace")[:2000])]
        parts.append(_quote(str(self.prepared.url)))
        return " ".join(parts)


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def headers_of(prepared: requests.PreparedRequest) -> dict[str, str]:
    return {_text(name): _text(value) for name, value in prepared.headers.items()}


def body_of(prepared: requests.PreparedRequest) -> bytes | None:
    body = prepared.body
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    raise TypeError(f"unexpected prepared body {type(body).__name__}")


def _quote(text: str) -> str:
    if text and all(c.isalnum() or c in "-_./:=?&%+@,{}" for c in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def shift_ids(case: Any) -> None:
    """Move small generated integer path parameters out of the range other checks use."""
    parameters = case.path_parameters
    if not parameters:
        return
    for name, value in list(parameters.items()):
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value < SHIFTED:
            parameters[name] = value + ID_SHIFT


def negative_headers(case: Any) -> bool:
    """Whether the generator owns ``Authorization`` and made the case's headers invalid on
    purpose: an apiKey scheme in ``Authorization`` (the RealWorld spec's ``Token``) is a
    header parameter to it, and a case that leaves it out or breaks it is sent as
    generated, not repaired with the profile's token (the operation should refuse it)."""
    meta = getattr(case, "_meta", None)
    if meta is None or not meta.is_negative_at(ParameterLocation.HEADER):
        return False
    return authorization_api_key(case.operation)


def authorization_api_key(operation: Any) -> bool:
    """Whether one of the operation's security schemes is an apiKey in ``Authorization``."""
    raw = operation.schema.raw_schema
    security = operation.definition.raw.get("security", raw.get("security")) or []
    components = raw.get("components") if isinstance(raw.get("components"), dict) else {}
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    for requirement in security if isinstance(security, list) else []:
        for name in requirement if isinstance(requirement, dict) else ():
            scheme = schemes.get(name) if isinstance(schemes, dict) else None
            if (
                isinstance(scheme, dict)
                and scheme.get("type") == "apiKey"
                and scheme.get("in") == "header"
                and str(scheme.get("name", "")).lower() == "authorization"
            ):
                return True
    return False


def needs_auth(operation: Any) -> bool:
    security = operation.definition.raw.get("security")
    if security is None:
        security = operation.schema.raw_schema.get("security")
    return bool(security)


def as_schemathesis(answer: httpx.Response, prepared: requests.PreparedRequest) -> Response:
    headers: dict[str, list[str]] = {}
    for name, value in answer.headers.multi_items():
        headers.setdefault(name.lower(), []).append(value)
    return Response(
        status_code=answer.status_code,
        headers=headers,
        content=answer.content,
        request=prepared,
        elapsed=answer.elapsed.total_seconds(),
        verify=True,
        message=answer.reason_phrase,
        http_version=answer.http_version.removeprefix("HTTP/"),
        encoding=answer.encoding,
    )


def _exchange(
    client: httpx.Client, method: str, url: str, headers: dict[str, str], content: bytes | None
) -> httpx.Response:
    request = client.build_request(
        method,
        url,
        headers=headers,
        content=content,
        extensions=stream_answers.request_extensions(),
    )
    answer = client.send(request, stream=True)
    try:
        stream_answers.read(answer)
    except BaseException:
        answer.close()
        raise
    return answer


class Sender:
    """Sends cases to the target, each from a client identity of its own."""

    def __init__(self, target: Target, profile: Profile, tokens: TokenSource) -> None:
        self.target = target
        self.profile = profile
        self.tokens = tokens
        self._in_process = target.mode == "app"
        self._shared = None if self._in_process else self._client()
        self.sent = 0
        self.seconds = 0.0
        self.retries = 0

    def close(self) -> None:
        if self._shared is not None:
            self._shared.close()

    def prepare(self, case: Any) -> tuple[requests.PreparedRequest, bool]:
        kwargs = case.as_transport_kwargs(base_url=self.target.base_url)
        request = requests.Request(**{key: kwargs[key] for key in _REQUEST_KEYS if key in kwargs})
        prepared = request.prepare()
        authenticated = False
        if needs_auth(case.operation) and not negative_headers(case):
            token = self.tokens.token()
            if token is not None:
                prepared.headers["Authorization"] = f"{self.profile.auth.scheme} {token}"
                authenticated = True
        return prepared, authenticated

    def send(self, case: Any) -> Exchange:
        prepared, authenticated = self.prepare(case)
        started = time.perf_counter()
        answer = self.request(
            str(prepared.method), str(prepared.url), headers_of(prepared), body_of(prepared)
        )
        self.seconds += time.perf_counter() - started
        self.sent += 1
        return Exchange(case, prepared, answer, as_schemathesis(answer, prepared), authenticated)

    def request(
        self, method: str, url: str, headers: dict[str, str], content: bytes | None = None
    ) -> httpx.Response:
        """One exchange from a fresh client identity; the body is read in full, or a
        stream's start (``stream_answers``)."""
        if self._shared is None:
            with self._client() as client:
                return _exchange(client, method, url, headers, content)
        headers = {**headers, "X-Forwarded-For": new_identity()}
        try:
            answer = _exchange(self._shared, method, url, headers, content)
        except STALE_CONNECTION:
            self.retries += 1
            self._renew()
            answer = _exchange(self._shared, method, url, headers, content)
        return answer

    def _renew(self) -> None:
        """A fresh connection for the next request (after a reset one)."""
        if self._shared is not None:
            self._shared.close()
        self._shared = self._client()

    def _client(self) -> httpx.Client:
        """A target client the plugin's response watch sees for ERR-07 only: FUZZ-02 and
        FUZZ-03 judge these answers against the document and for secrets under their own
        IDs (OAS-06 and LIFE-02 judge the other checks')."""
        return self.target.client(validate=False, search_secrets=False)
