"""The few requests ``conformance init`` sends to learn a target from its real answers.

Nothing here can change the target: a path that cannot exist, a method a documented path
does not take, a JSON body that is not JSON (refused before any handler runs), GETs without
a token, and the logins the command line names. Each answer is kept as evidence, one line
each, for the comments of the written profile.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx

from pytest_conformance.envelopes import STYLES
from pytest_conformance.target_model import DeclaredOperation, TargetModel
from pytest_conformance.target_model.openapi_document import media_type

NOWHERE = "/conformance-init-no-such-path-{}"
MALFORMED_JSON = b'{"conformance-init": '  # cut short: no JSON parser accepts it
# the most specific shape first: an rfc9457 body has a string "detail" as fastapi's does
STYLE_ORDER = ("tutorial", "rfc9457", "errors-map", "errors-list", "fastapi", "text")
REQUEST_ID_HEADERS = ("X-Request-ID", "X-Correlation-ID", "Request-Id", "X-Trace-Id")
ORIGIN = "http://localhost:3000"  # the profile's default [cors] allowed_origin
MAX_UNAUTHENTICATED = 20  # documented GETs tried without a token, at most
# the tutorial's mounted sub-applications' documents (the profile's default
# [openapi] sub_app_documents)
SUB_APP_DOCUMENTS = ("/v1/openapi.json", "/v2/openapi.json")
PROBE_DEADLINE = 5.0  # seconds for one probe, whatever the transport
MAX_BODY = 64 * 1024  # bytes kept of one answer
PARAMETER = re.compile(r"\{[^}/]+\}")


@dataclass(frozen=True)
class Answer:
    """One probe and what answered it."""

    method: str
    path: str
    status: int
    headers: httpx.Headers
    body: Any  # the JSON value, the text, or None (empty)
    media: str

    @property
    def line(self) -> str:
        return f"{self.method} {self.path} answered {self.status}"

    def excerpt(self) -> str:
        text = self.body if isinstance(self.body, str) else repr(self.body)
        return " ".join(str(text).split())[:80]


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str
    answer: Answer | None = None
    token: str = ""

    @property
    def succeeded(self) -> bool:
        return bool(self.token) or (self.answer is not None and self.answer.status == 204)


@dataclass
class Probes:
    """Every answer, by purpose."""

    errors: list[Answer] = field(default_factory=list)  # 404, 405, 4xx for a malformed body
    method_not_allowed: Answer | None = None
    malformed_body: Answer | None = None
    unauthenticated: list[tuple[DeclaredOperation, Answer]] = field(default_factory=list)
    logins: list[Login] = field(default_factory=list)
    login_failure: Answer | None = None
    answers: list[Answer] = field(default_factory=list)  # all of them, for the headers
    sent_request_id: str = ""
    cors: Answer | None = None
    sub_app_documents: list[Answer] = field(default_factory=list)


def parse_user(value: str) -> Login:
    """``ROLE:NAME:PASSWORD`` (the password may hold colons)."""
    role, _, rest = value.partition(":")
    username, _, password = rest.partition(":")
    if not (role and username and password):
        raise ValueError(f"--user {role or '?'}:...: not of the form ROLE:NAME:PASSWORD")
    return Login(role=role, username=username, password=password)


def style_of(answer: Answer) -> str | None:
    """The first envelope style, most specific first, whose shape the error body has."""
    if answer.media == "application/problem+json" and isinstance(answer.body, dict):
        return "rfc9457" if STYLES["rfc9457"].shape_problem(answer.body) is None else None
    for name in STYLE_ORDER:
        style = STYLES[name]
        if not style.json:
            text = answer.media == "text/plain" and isinstance(answer.body, str)
            if text and style.shape_problem(answer.body) is None:
                return name
            continue
        if isinstance(answer.body, dict) and style.shape_problem(answer.body) is None:
            return name
    return None


def concrete(template: str) -> str:
    """A documented path with every parameter set to ``1``."""
    return PARAMETER.sub("1", template)


class Prober:
    def __init__(self, client: httpx.AsyncClient, model: TargetModel, base: str) -> None:
        self.client = client
        self.model = model
        self.base = base  # the prefix the document's paths are served under ('' mostly)
        self.probes = Probes(sent_request_id=f"conformance-init-{secrets.token_hex(6)}")

    async def send(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        content: bytes | None = None,
        data: dict[str, str] | None = None,
    ) -> Answer | None:
        sent = {"X-Request-ID": self.probes.sent_request_id, **(headers or {})}
        request = self.client.build_request(method, path, headers=sent, content=content, data=data)
        kept = bytearray()
        try:
            async with asyncio.timeout(PROBE_DEADLINE):
                response = await self.client.send(request, stream=True)
                try:
                    async for chunk in response.aiter_bytes():
                        kept += chunk[: MAX_BODY - len(kept)]
                        if len(kept) >= MAX_BODY:
                            break  # enough to tell a shape: the rest is not read
                finally:
                    await response.aclose()
        except Exception:  # a probe that cannot be answered teaches nothing
            return None
        media = media_type(response.headers.get("content-type", ""))
        text = kept.decode("utf-8", errors="replace")
        body: Any = text or None
        if kept and "json" in media:
            with contextlib.suppress(ValueError):  # a cut or broken body stays its text
                body = json.loads(text)
        answer = Answer(method, path, response.status_code, response.headers, body, media)
        self.probes.answers.append(answer)
        return answer

    async def run(self, users: list[Login]) -> Probes:
        await self.not_found()
        await self.method_not_allowed()
        tokens = await self.logins(users)
        await self.malformed_body(tokens)
        await self.unauthenticated()
        for path in SUB_APP_DOCUMENTS:
            answer = await self.send("GET", path)
            if answer is not None:
                self.probes.sub_app_documents.append(answer)
        return self.probes

    async def not_found(self) -> None:
        answer = await self.send(
            "GET", NOWHERE.format(secrets.token_hex(4)), headers={"Origin": ORIGIN}
        )
        self.probes.cors = answer
        if answer is not None and answer.status == 404:
            self.probes.errors.append(answer)

    async def method_not_allowed(self) -> None:
        """A documented path without parameters and a method it does not document."""
        by_path: dict[str, set[str]] = {}
        for operation in self.model.operations:
            by_path.setdefault(operation.template, set()).add(operation.method)
        for template, methods in sorted(by_path.items(), key=lambda kv: len(kv[0])):
            if "{" in template or not methods & {"GET", "POST"}:
                continue
            # never DELETE: an undocumented handler of it would act without a body to refuse
            missing = [m for m in ("PUT", "PATCH") if m not in methods]
            if not missing:
                continue
            answer = await self.send(missing[0], self.base + template)
            if answer is not None and answer.status == 405:
                self.probes.method_not_allowed = answer
                self.probes.errors.append(answer)
                return

    async def logins(self, users: list[Login]) -> dict[str, str]:
        login = self.model.login
        if login is None:
            self.probes.logins.extend(users)  # tried nowhere: no answer
            return {}
        path = login.path
        if self.base and not path.startswith(self.base + "/"):
            path = self.base + path if self.model.find("POST", path) else path
        tokens: dict[str, str] = {}
        roles = frozenset(user.role for user in users)
        for user in users:
            form = {"username": user.username, "password": user.password}
            scopes = login.scopes_for(user.role, roles)
            if scopes:
                form["scope"] = " ".join(scopes)
            answer = await self.send("POST", path, data=form)
            token = ""
            if answer is not None and isinstance(answer.body, dict):
                value = answer.body.get("access_token")
                token = value if isinstance(value, str) and 200 <= answer.status < 300 else ""
            done = Login(user.role, user.username, user.password, answer, token)
            self.probes.logins.append(done)
            if token:
                tokens[user.role] = token
        nobody = f"conformance-init-nobody-{secrets.token_hex(4)}"
        self.probes.login_failure = await self.send(
            "POST", path, data={"username": nobody, "password": secrets.token_urlsafe(12)}
        )
        return tokens

    async def malformed_body(self, tokens: dict[str, str]) -> None:
        """A documented JSON-body operation sent a body no parser accepts."""
        token = next(iter(tokens.values()), "")
        for operation in self.model.operations:
            if operation.body_media != "application/json" or operation.method not in (
                "POST",
                "PUT",
                "PATCH",
            ):
                continue
            if operation.secured and not token:
                continue
            headers = {"Content-Type": "application/json"}
            if operation.secured:
                headers["Authorization"] = f"Bearer {token}"
            path = self.base + concrete(operation.template)
            answer = await self.send(
                operation.method, path, headers=headers, content=MALFORMED_JSON
            )
            if (
                answer is not None
                and 400 <= answer.status < 500
                and answer.status
                not in (
                    401,
                    403,
                    404,
                )
            ):
                self.probes.malformed_body = answer
                self.probes.errors.append(answer)
                return

    async def unauthenticated(self) -> None:
        """Documented GETs without a token: which answer 401 or 403."""
        tried = 0
        for operation in self.model.operations:
            if operation.method != "GET" or tried >= MAX_UNAUTHENTICATED:
                continue
            if self.model.streams and any(s.operation is operation for s in self.model.streams):
                continue  # a stream may never end
            tried += 1
            answer = await self.send("GET", self.base + concrete(operation.template))
            if answer is not None:
                self.probes.unauthenticated.append((operation, answer))
