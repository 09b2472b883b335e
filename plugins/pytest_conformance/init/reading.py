"""A starting profile read from a target's OpenAPI document (``conformance init``).

What the document shows is written as settings: the common path prefix, the paths of
the operations it recognises, the security scheme and token URL, pagination parameter
and page field names, the envelope style its error responses suggest. What it does not
show is written as a capability switched off, with a comment, so the first run skips
those checks with a reason instead of failing on routes the app never had.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from pytest_conformance.init import evidence
from pytest_conformance.init.applied import PROBED_CAPABILITIES, apply_probes
from pytest_conformance.init.probes import Probes
from pytest_conformance.openapi_document import DocumentError, OpenAPIDocument, pointer_token
from pytest_conformance.profile import (
    CAPABILITY_PATHS,
    Capabilities,
    Pagination,
    Paths,
    profile_from_mapping,
)
from pytest_conformance.target_model import DeclaredOperation, TargetModel, build_model
from pytest_conformance.target_model.lists import PAIRS

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
# (offset-like, size-like, style): the target model's pairs; cursors are read apart
PAGINATION_PAIRS = tuple(pair for pair in PAIRS if pair[2] != "cursor")
TOKEN_PATH = re.compile(
    r"/(token|login|access-token|login/access-token|auth/token|auth/login"
    r"|oauth/token|oauth2/token|jwt/create|sessions?)/?$"
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


class InitError(Exception):
    """A target whose document cannot be used; the message is one line."""


@dataclass
class Operation:
    """A documented operation as the target model reads it, with its raw object."""

    declared: DeclaredOperation
    spec: dict[str, Any]

    @property
    def method(self) -> str:
        return self.declared.method

    @property
    def path(self) -> str:
        return self.declared.template

    def parameters(self) -> dict[str, Any]:
        """Query parameters: name -> schema."""
        return {p.name: dict(p.schema) for p in self.declared.query_parameters}


def operations(document: OpenAPIDocument, model: TargetModel) -> list[Operation]:
    found = []
    for declared in model.operations:
        pointer = f"#/paths/{pointer_token(declared.template)}/{declared.method.lower()}"
        raw = resolve(document, {"$ref": pointer})
        found.append(Operation(declared, raw if isinstance(raw, dict) else {}))
    return found


def resolve(document: OpenAPIDocument, node: Any) -> Any:
    """``node`` or what its local ``$ref`` points at; ``{}`` for a reference that leads nowhere."""
    try:
        return document.resolve(node)
    except Exception:
        return {}


def common_prefix(paths: list[str]) -> str:
    """The leading segments every path shares (never a templated one), e.g. '/api/v1'."""
    split = [path.strip("/").split("/") for path in paths if path.strip("/")]
    if len(split) < 2:
        return ""
    shared: list[str] = []
    for parts in zip(*split, strict=False):
        if len(set(parts)) != 1 or "{" in parts[0]:
            break
        shared.append(parts[0])
    if len(shared) >= min(len(parts) for parts in split):
        shared = shared[:-1]  # keep at least one segment of every path
    return "/" + "/".join(shared) if shared else ""


def _success_schema(operation: Operation) -> tuple[str, Any, str]:
    """(status, schema, media type) of the first 2xx response."""
    declared = operation.declared
    status = str(declared.success_status or "")
    return status, dict(declared.success_schema), declared.success_media or ""


@dataclass
class Reading:
    """What was recognised, as profile keys, and the comments that explain the guesses."""

    data: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # "section.key" -> comment
    comments: list[str] = field(default_factory=list)  # evidence with no key of its own

    def set(self, section: str | None, key: str, value: Any, note: str = "") -> None:
        table = self.data.setdefault(section, {}) if section else self.data
        table[key] = value
        if note:
            self.notes[f"{section}.{key}" if section else key] = note


class _Reader:
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

    def relative(self, path: str) -> str:
        return path[len(self.prefix) :] if self.prefix and path.startswith(self.prefix) else path

    def find(self, method: str, pattern: re.Pattern[str]) -> Operation | None:
        matches = [
            op
            for op in self.operations
            if op.method == method and pattern.search(self.relative(op.path))
        ]
        return min(matches, key=lambda op: len(op.path)) if matches else None

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
        schemes = self.document.get("components", {}).get("securitySchemes", {})
        schemes = schemes if isinstance(schemes, dict) else {}
        kinds = {name: resolve(self.doc, scheme) for name, scheme in schemes.items()}
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

    def _security(self) -> None:
        schemes = self.document.get("components", {}).get("securitySchemes", {})
        schemes = schemes if isinstance(schemes, dict) else {}
        for name, scheme in schemes.items():
            scheme = resolve(self.doc, scheme)
            if not isinstance(scheme, dict):
                continue
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

    def _pagination(self) -> None:
        for operation in sorted(self.operations, key=lambda op: len(op.path)):
            if operation.method != "GET" or operation.path.endswith("}"):
                continue
            params = operation.parameters()
            if "cursor" in params:
                self._cursor(operation, params)
                continue
            if self.offset_read:
                continue
            for offset, size, style in PAGINATION_PAIRS:
                if offset in params and size in params:
                    self._offset(operation, params, offset, size, style)
                    self.offset_read = True
                    break

    def _offset(
        self, operation: Operation, params: dict[str, Any], offset: str, size: str, style: str
    ) -> None:
        path = self.relative(operation.path)
        if self.found.get("items") != path:
            self.reading.set("paths", "items", path, f"paginated by {offset}/{size}")
        self.found["items"] = path
        item = next(
            (
                self.relative(op.path)
                for op in self.operations
                if op.method == "GET"
                and re.fullmatch(re.escape(operation.path.rstrip("/")) + r"/\{[^}/]+\}", op.path)
            ),
            None,
        )
        if item is not None:
            parameter = re.search(r"\{([^}]+)\}$", item)
            assert parameter is not None
            self.reading.set("paths", "item", item.replace(parameter.group(0), "{item_id}"))
        pagination: dict[str, Any] = {}
        if (offset, size) != ("skip", "limit"):
            pagination.update(style=style, offset_param=offset, limit_param=size)
        schema = params[size] if isinstance(params[size], dict) else {}
        if isinstance(schema.get("default"), int):
            pagination["default_limit"] = schema["default"]
        if isinstance(schema.get("maximum"), int):
            pagination["max_limit"] = schema["maximum"]
            documented = {str(code) for code in operation.spec.get("responses", {})}
            bad = 400 if "400" in documented else self._validation_status()
            pagination["max_limit_status"] = bad
        _, body, _ = _success_schema(operation)
        properties = body.get("properties", {}) if isinstance(body, dict) else {}
        self._page_fields(properties, pagination, offset, size)
        for key, value in pagination.items():
            if value != Pagination.model_fields[key].default:
                self.reading.set("pagination", key, value)

    def _page_fields(
        self, properties: dict[str, Any], pagination: dict[str, Any], offset: str, size: str
    ) -> None:
        lists = [
            name
            for name, prop in properties.items()
            if isinstance(resolve(self.doc, prop), dict)
            and resolve(self.doc, prop).get("type") == "array"
        ]
        if lists and lists[0] != "items":
            pagination["items_field"] = lists[0]
        totals = [name for name in properties if name in ("total", "count", "total_count")]
        if totals:
            pagination["total_field"] = totals[0]
        if properties:
            pagination["skip_field"] = offset if offset in properties else ""
            pagination["limit_field"] = size if size in properties else ""

    def _cursor(self, operation: Operation, params: dict[str, Any]) -> None:
        path = self.relative(operation.path)
        self.found["items_cursor"] = path
        self.reading.set("paths", "items_cursor", path, "takes a cursor parameter")
        sizes = [name for name in ("limit", "size", "page_size", "per_page") if name in params]
        if sizes and sizes[0] != "limit":
            self.reading.set("pagination", "cursor_limit_param", sizes[0])
        _, body, _ = _success_schema(operation)
        properties = body.get("properties", {}) if isinstance(body, dict) else {}
        cursors = [name for name in properties if "cursor" in name]
        if cursors and cursors[0] != "next_cursor":
            self.reading.set("pagination", "next_cursor_field", cursors[0])
        flags = [
            name
            for name, prop in properties.items()
            if isinstance(prop, dict) and prop.get("type") == "boolean"
        ]
        if properties and not flags:
            self.reading.set(
                "pagination",
                "has_more_field",
                "",
                "no boolean member: more pages exactly when a cursor is given",
            )

    def _streams(self) -> None:
        for operation in self.operations:
            if operation.method != "GET":
                continue
            for response in operation.spec.get("responses", {}).values():
                content = resolve(self.doc, response).get("content", {})
                for media in content if isinstance(content, dict) else {}:
                    path = self.relative(operation.path)
                    if media in (
                        "application/x-ndjson",
                        "application/jsonl",
                        "application/jsonlines",
                    ):
                        self.found["stream_data"] = path
                        self.reading.set("paths", "stream_data", path)
                        if media != "application/x-ndjson":
                            self.reading.set("streams", "ndjson_content_type", media)
                    elif media == "text/event-stream":
                        self.found["stream_events"] = path
                        self.reading.set("paths", "stream_events", path)

    def _validation_status(self) -> int:
        statuses = {str(code) for op in self.operations for code in op.spec.get("responses", {})}
        return 422 if "422" in statuses or "400" not in statuses else 400

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
        if style != "tutorial" or probed is not None:
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
