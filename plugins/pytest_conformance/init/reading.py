"""A starting profile read from a target's OpenAPI document and the probes' answers.

The document tells the contract (``tutorial`` only for the tutorial's own operations), the
path prefix (only where the document or its login sits under it), the paths it recognises,
the login and pagination; the probes' answers tell the envelope, the validation status,
the 405, the headers and what refuses a request without a token. Each setting carries
its evidence as a comment; where only the document could tell, the comment says so.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from pytest_conformance.init import evidence
from pytest_conformance.init.applied import PROBED_CAPABILITIES, apply_probes
from pytest_conformance.init.document import (
    InitError,
    Reading,
    common_prefix,
    operations,
    resolve,
)
from pytest_conformance.init.headers import header_hints
from pytest_conformance.init.pages import PagesReading
from pytest_conformance.init.probes import Probes
from pytest_conformance.init.security import SecurityReading
from pytest_conformance.profile.sections import (
    CAPABILITY_PATHS,
    Capabilities,
    Paths,
    profile_from_mapping,
)
from pytest_conformance.target_model import build_model
from pytest_conformance.target_model.openapi_document import DocumentError, OpenAPIDocument

DOCUMENT_CANDIDATES = (
    "/openapi.json",
    "/api/v1/openapi.json",
    "/api/openapi.json",
    "/schema/openapi.json",
    "/api/schema/openapi.json",
    "/docs/openapi.json",
    "/v1/openapi.json",
    "/swagger.json",
)
HEALTH_PATH = re.compile(r"/(health|healthz|health-check|healthcheck|ping|livez|status)/?$")
REGISTER_PATH = re.compile(r"/(register|signup|sign-up|users/signup|users/open|auth/register)/?$")
UNDOCUMENTED = {  # capabilities an OpenAPI document cannot show
    "websockets": "WebSocket routes are not in OpenAPI documents; set true if you serve them",
    "sub_apps": "mounted sub-applications have documents of their own; set true and [paths] "
    "sub_apps if you mount them",
    "rate_limit": "rate limits are not in the document; set true and [rate_limit] if you have one",
    "access_log": "set true if your app writes one access-log line per request",
    "cors": "set true and [cors] if your app answers CORS",
    "security_headers": "set true if your app sends X-Content-Type-Options, X-Frame-Options, ...",
    "request_id": "set true and request_id_header if your app echoes a request id",
}
UNCHECKED_MESSAGES = (
    "login_failure",
    "invalid_token",
    "forbidden",
    "limit_exceeded",
    "rate_limited",
    "item_not_found",
    "user_not_found",
    "author_not_found",
)


# the paths whose checks send nothing of the tutorial's payloads (logins, "me", a 405)
NEUTRAL_PATHS = frozenset(
    {"prefix", "unprefixed", "openapi", "docs", "token", "users_me", "method_not_allowed"}
)


class _Reader(PagesReading, SecurityReading):
    def __init__(
        self, document: OpenAPIDocument, document_url: str, probes: Probes | None = None
    ) -> None:
        self.doc = document
        self.model = build_model(document)
        self.document = document.document
        self.document_url = document_url
        self.probes = probes
        self.operations = operations(document, self.model)
        self.prefix = self._prefix()
        self.tutorial = evidence.looks_like_tutorial(self.model)
        self.reading = Reading()
        self.found: dict[str, str] = {}  # path key -> path without the prefix
        self.offset_read = False

    def _prefix(self) -> str:
        """The prefix every documented path shares, when the document's own place or the
        login's is under it too (two paths sharing a segment are not a prefix)."""
        shared = common_prefix([op.path for op in self.operations])
        if not shared:
            return ""
        placed = [urlsplit(self.document_url).path]
        if self.model.login is not None:
            placed.append(urlsplit(urljoin(self.document_url, self.model.login.path)).path)
        return shared if any(path.startswith(shared + "/") for path in placed) else ""

    def read(self) -> Reading:
        self._contract()
        self._paths()
        self._security()
        self._token()
        self._pagination()
        self._streams()
        self._envelope()
        self._capabilities()
        self._document_checks()
        self.reading.comments.extend(header_hints([op.declared for op in self.operations]))
        if not self.tutorial:
            self._without_contract()
        if self.probes is not None:
            apply_probes(
                self.reading, self.probes, self.model, tutorial=self.tutorial, prefix=self.prefix
            )
        return self.reading

    def _without_contract(self) -> None:
        """Under ``contract = "none"`` a mapped path runs the tutorial's checks with the
        tutorial's payloads there: only the paths whose checks ask nothing of the payloads
        are written; the others are named in comments, for the user to map."""
        paths = self.reading.data.get("paths", {})
        recognised = {key: value for key, value in paths.items() if key not in NEUTRAL_PATHS}
        for key in recognised:
            del paths[key]
            self.reading.notes.pop(f"paths.{key}", None)
        recognised.pop("sub_app_item", None)  # a path inside sub-apps, not one of its own
        for section in ("pagination", "streams", "messages"):
            self.reading.data.pop(section, None)
        if recognised:
            self.reading.comments.append(
                "Recognised, not mapped (mapping one runs the tutorial's checks with the "
                "tutorial's payloads there): "
                + ", ".join(f"paths.{key} = {value!r}" for key, value in recognised.items())
            )

    def _contract(self) -> None:
        if self.tutorial:
            note = "the document has the tutorial's /token, /users/me and /items operations"
            self.reading.set(None, "contract", "tutorial", note)
        else:
            note = "the document is not the tutorial's API: contract checks run where mapped"
            self.reading.set(None, "contract", "none", note)

    def _paths(self) -> None:
        reading = self.reading
        document_path = urlsplit(self.document_url).path or "/openapi.json"
        if self.prefix:
            reading.set("paths", "prefix", self.prefix, "every path below is put after it")
        unprefixed = []
        if self.prefix and document_path.startswith(self.prefix + "/"):
            reading.set("paths", "openapi", self.relative(document_path))
        else:
            reading.set("paths", "openapi", document_path)
            if self.prefix:
                unprefixed.append("openapi")
        if self.prefix:
            unprefixed.append("docs")
        if unprefixed:
            reading.set("paths", "unprefixed", unprefixed, "these paths are not under the prefix")
        documented = {(op.method, self.relative(op.path)) for op in self.operations}
        for name, info in Paths.model_fields.items():
            default = info.default
            if not isinstance(default, str) or name in ("prefix", "openapi", "docs"):
                continue
            bare = default.split("?")[0]
            method, _, rest = bare.partition(" ")
            candidates = {(m, bare) for m in ("GET", "POST", "DELETE", "PATCH", "PUT")}
            if rest.startswith("/"):
                candidates = {(method, rest)}
            if candidates & documented:
                self.found[name] = bare  # SPEC's own path: nothing to write, unless no contract
                if not self.tutorial and name != "method_not_allowed":
                    reading.set("paths", name, bare)
        self._method_not_allowed()
        for key, method, pattern in (
            ("users_me", "GET", re.compile(r"/(users/)?me/?$")),
            ("health", "GET", HEALTH_PATH),
            ("registration", "POST", REGISTER_PATH),
        ):
            if key in self.found:
                continue
            operation = self.find(method, pattern)
            if operation is not None:
                self.found[key] = self.relative(operation.path)
                reading.set("paths", key, self.found[key], "recognised by its name")

    def _method_not_allowed(self) -> None:
        """A documented path and a method it does not take (the 405 situation)."""
        if self.probes is not None:  # only a real 405 names it
            answer = self.probes.method_not_allowed
            if answer is not None and "method_not_allowed" not in self.found:
                self.reading.set(
                    "paths", "method_not_allowed", f"{answer.method} {self.relative(answer.path)}",
                    answer.line,
                )  # fmt: skip
            return
        if "method_not_allowed" in self.found:
            return
        for path, item in sorted(self.document.get("paths", {}).items(), key=lambda kv: len(kv[0])):
            if not isinstance(item, dict) or "{" in self.relative(path).split("/")[1]:
                continue
            missing = [m for m in ("PUT", "DELETE", "PATCH") if m.lower() not in item]
            if missing and any(m in item for m in ("get", "post")):
                concrete = re.sub(r"\{[^}]+\}", "1", self.relative(path))
                self.reading.set(
                    "paths",
                    "method_not_allowed",
                    f"{missing[0]} {concrete}",
                    "a documented path without that method",
                )
                return

    def _envelope(self) -> None:
        schemas = self.document.get("components", {}).get("schemas", {})
        schemas = schemas if isinstance(schemas, dict) else {}
        media_types: set[str] = set()
        members: set[str] = set()
        for operation in self.operations:
            for status, response in operation.spec.get("responses", {}).items():
                if not str(status).startswith(("4", "5")):
                    continue
                content = resolve(self.doc, response).get("content", {})
                for media, body in content.items() if isinstance(content, dict) else ():
                    media_types.add(str(media))
                    schema = resolve(self.doc, body.get("schema", {}))
                    members |= (
                        set(schema.get("properties", {})) if isinstance(schema, dict) else set()
                    )
        probed = evidence.envelope(self.probes) if self.probes is not None else None
        if probed is not None and probed.value is not None:
            style, note = str(probed.value), probed.note
        else:
            note = "guessed from the documented error bodies: " + (
                probed.note if probed is not None else "no error answer could be provoked"
            )
            style = self._documented_style(media_types, members, schemas)
        if style != "tutorial" or self.probes is not None:
            self.reading.set(None, "envelope", style, note)
        if style != "tutorial" and self.tutorial:
            for key in UNCHECKED_MESSAGES + (() if style == "fastapi" else ("not_authenticated",)):
                self.reading.set("messages", key, "")
            self.reading.notes["messages"] = (
                "'' checks the envelope but not the message: put your app's messages here"
            )
        probed_status = evidence.validation_status(self.probes) if self.probes else None
        if probed_status is not None:
            if probed_status.value != 422 or not self.tutorial:
                self.reading.set("errors", "validation_status", probed_status.value,
                                 probed_status.note)  # fmt: skip
            return
        status = self._validation_status()
        if status != 422:
            self.reading.set("errors", "validation_status", status)

    @staticmethod
    def _documented_style(media_types: set[str], members: set[str], schemas: Any) -> str:
        if "application/problem+json" in media_types:
            style = "rfc9457"
        elif "error_code" in members:
            style = "tutorial"
        elif "errors" in members:
            style = "errors-list"
        elif "HTTPValidationError" in schemas or "detail" in members:
            style = "fastapi"
        elif media_types and media_types <= {"text/plain"}:
            style = "text"
        else:
            style = "tutorial"
        return style

    def _capabilities(self) -> None:
        if self.tutorial:
            for capability, keys in CAPABILITY_PATHS.items():
                if not any(key in self.found for key in keys):
                    needed = " or ".join(f"paths.{key}" for key in keys)
                    note = f"no {needed} in the document"
                    self.reading.set("capabilities", capability, False, note)
        for capability, why in UNDOCUMENTED.items():
            if not self.tutorial and capability not in PROBED_CAPABILITIES:
                continue  # not promised without a contract unless the profile says so
            if self.probes is None or capability not in PROBED_CAPABILITIES:
                self.reading.set("capabilities", capability, False, why)
        if not self.tutorial or not (
            self.found.get("stream_data") and self.found.get("stream_events")
        ):
            return
        self.reading.set(
            "capabilities",
            "stream_params",
            False,
            "set true if your streams take max_events and interval",
        )


def without_document(path: str, reason: str) -> Reading:
    """A starting profile for a target whose document answers a server error: no OAS
    checks, and ``contract = "none"`` (nothing says this is the tutorial's API)."""
    reading = Reading()
    reading.set(None, "contract", "none", "the document could not be read to tell")
    reading.set("paths", "openapi", path)
    reading.set(
        "capabilities",
        "openapi",
        False,
        f"{reason}: the OAS checks skip until it serves its document",
    )
    return reading


def open_document(document: Any, document_url: str) -> OpenAPIDocument:
    if not isinstance(document, dict):
        raise InitError(f"{document_url} is not an OpenAPI document (not a JSON object)")
    try:
        return OpenAPIDocument(document)
    except DocumentError as error:
        raise InitError(f"{document_url} is not an OpenAPI document ({error})") from None


def read_document(
    document: OpenAPIDocument, document_url: str, probes: Probes | None = None
) -> Reading:
    """The profile a document and the probes' answers suggest (validated: it always loads)."""
    reading = _Reader(document, document_url, probes).read()
    assert set(Capabilities.model_fields) >= set(reading.data.get("capabilities", {}))
    profile_from_mapping(reading.data, "the generated profile")
    return reading
