"""The login, the security schemes and what OAS-02..05 expect of the document."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from pytest_conformance.init.document import ReaderState, _success_schema
from pytest_conformance.target_model.login import security_schemes

TOKEN_PATH = re.compile(
    r"/(token|login|access-token|login/access-token|auth/token|auth/login"
    r"|oauth/token|oauth2/token|jwt/create|sessions?)/?$"
)


class SecurityReading(ReaderState):
    def _document_checks(self) -> None:
        """[openapi]: what OAS-02..05 expect, as far as this document has it."""
        info = self.document.get("info", {})
        info = info if isinstance(info, dict) else {}
        for key in ("title", "version"):
            if isinstance(info.get(key), str):
                self.reading.set("openapi", key, info[key])
        logo = info.get("x-logo")
        if not (isinstance(logo, dict) and logo.get("url")):
            self.reading.set("openapi", "logo", False, "no info.x-logo.url")
        kinds = security_schemes(self.doc)
        api_keys = [
            n
            for n, s in kinds.items()
            if isinstance(s, dict) and s.get("type") == "apiKey" and s.get("in") == "header"
        ]
        if "ApiKeyHeader" not in api_keys:
            self.reading.set("openapi", "api_key_scheme", api_keys[0] if api_keys else "")
            if api_keys:
                self.reading.set("openapi", "api_key_header", str(kinds[api_keys[0]].get("name")))
        bearers = [
            n
            for n, s in kinds.items()
            if isinstance(s, dict)
            and s.get("type") == "http"
            and str(s.get("scheme", "")).lower() == "bearer"
        ]
        if "BearerAuth" not in bearers:
            self.reading.set("openapi", "bearer_scheme", bearers[0] if bearers else "")
        oauth2 = any(isinstance(s, dict) and s.get("type") == "oauth2" for s in kinds.values())
        if not oauth2:
            self.reading.set("openapi", "oauth2_password_flow", False)
        webhooks = self.document.get("webhooks")
        if not (isinstance(webhooks, dict) and "item-created" in webhooks):
            self.reading.set("openapi", "webhook", "", "no item-created webhook: OAS-04 skipped")
        secured = [op for op in self.operations if op.declared.secured]
        tagged = [op for op in secured if "users" in op.spec.get("tags", [])]
        if not all(
            {"401", "403"} <= set(map(str, op.spec.get("responses", {}))) for op in tagged
        ) or (not tagged):
            self.reading.set(
                "openapi",
                "error_responses_tag",
                "",
                "no 'users' operations documenting 401 and 403",
            )

    def _security(self) -> None:
        for name, scheme in security_schemes(self.doc).items():
            flow = (
                scheme.get("flows", {}).get("password") if scheme.get("type") == "oauth2" else None
            )
            if isinstance(flow, dict) and isinstance(flow.get("tokenUrl"), str):
                token = urlsplit(urljoin(self.document_url, flow["tokenUrl"])).path
                self.found["token"] = self.relative(token)
                self.reading.set(
                    "paths",
                    "token",
                    self.found["token"],
                    f"the tokenUrl of the oauth2 password flow {name!r}",
                )
                return
            if scheme.get("type") == "apiKey" and scheme.get("name", "").lower() == "authorization":
                self.reading.set(
                    "auth",
                    "scheme",
                    "Token",
                    f"{name!r} is an apiKey in Authorization: check the scheme word "
                    "(RFC 6750 wants Bearer; the strict checks report it)",
                )

    def _token(self) -> None:
        if "token" not in self.found:
            operation = self.find("POST", TOKEN_PATH)
            if operation is None:
                return
            self.found["token"] = self.relative(operation.path)
            self.reading.set("paths", "token", self.found["token"], "recognised by its name")
        operation = next(
            (
                op
                for op in self.operations
                if op.method == "POST" and self.relative(op.path) == self.found["token"]
            ),
            None,
        )
        if operation is None:
            return
        status, _, _ = _success_schema(operation)
        if status in ("201", "204"):
            self.reading.set("auth", "login_status", int(status))
        if status == "204":
            self.reading.set(
                "auth",
                "token_cookie",
                "access_token",
                "the login answers no body: name the cookie that carries the token",
            )
        responses = {str(code) for code in operation.spec.get("responses", {})}
        failure = self.probes.login_failure if self.probes is not None else None
        if failure is not None and 400 <= failure.status < 500:
            if failure.status != 401:
                self.reading.set("auth", "login_failure_status", failure.status,
                                 f"{failure.line} for an unknown user")  # fmt: skip
        elif "400" in responses and "401" not in responses:
            self.reading.set(
                "auth",
                "login_failure_status",
                400,
                "the login documents 400, not 401, for bad credentials",
            )
