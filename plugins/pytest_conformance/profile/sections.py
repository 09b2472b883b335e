"""The profile: what a team tells the suite about its target.

Every default is SPEC.md's default profile, so a target that follows the contract
literally needs no profile at all. Unknown keys and bad values are refused (the
plugin turns the validation error into a one-line usage error naming the key).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from pytest_conformance.envelopes import STYLES, EnvelopeStyle
from pytest_conformance.profile.applicability import unmapped_key

HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Mappable(_Section):
    """A section whose tutorial defaults ``contract = "none"`` can leave unmapped.

    ``_unmapped`` holds the keys the profile did not give; reading one answers
    ``_UNMAPPED`` instead of the tutorial's default (``None``: the check reading it is not
    applicable).
    """

    _UNMAPPED: ClassVar[object] = None
    _unmapped: frozenset[str] = PrivateAttr(frozenset())

    def __getattribute__(self, name: str) -> Any:
        if name[:1] != "_":
            private = object.__getattribute__(self, "__pydantic_private__")
            if private and name in private.get("_unmapped", ()):
                instead = type(self)._UNMAPPED
                if instead is None:
                    unmapped_key(f"{type(self)._SECTION} {name}")
                return instead
        return object.__getattribute__(self, name)

    _SECTION: ClassVar[str] = ""

    def is_mapped(self, name: str) -> bool:
        """Whether reading ``name`` gives a value (the profile's, or a tutorial default the
        contract assumes) rather than "not applicable"."""
        private = object.__getattribute__(self, "__pydantic_private__")
        return not (private and name in private.get("_unmapped", ()))


class Timeouts(_Section):
    """Seconds; every network wait of the suite is bounded by one of these."""

    request: float = Field(5.0, gt=0, le=300, description="one HTTP exchange")
    startup: float = Field(15.0, gt=0, le=600, description="lifespan startup or server readiness")
    shutdown: float = Field(10.0, gt=0, le=600, description="lifespan shutdown or server stop")
    stream: float = Field(5.0, gt=0, le=300, description="one read from a stream or WebSocket")
    total: float = Field(
        15.0, gt=0, le=3600, description="one response in all: from the request to its last byte"
    )
    unresponsive_after: int = Field(
        3,
        ge=1,
        le=1000,
        description="consecutive timed-out or oversized answers after which the target is "
        "declared unresponsive and every remaining check fails at once",
    )


class Limits(_Section):
    """What the suite reads of one answer, and sends to one operation."""

    body: int = Field(
        4 << 20, ge=1024, le=1 << 30, description="most bytes read of one response body"
    )
    requests_per_operation: int = Field(
        40,
        ge=1,
        le=100_000,
        description="most requests one property check (the ANY section) sends to one "
        "documented operation; a check that would need more says what it left out",
    )


PATH_KEYS_ALWAYS_MAPPED = frozenset({"prefix", "unprefixed", "openapi", "docs"})


class Paths(_Mappable):
    _SECTION: ClassVar[str] = "[paths]"

    """Where each operation lives on the target (SPEC.md's paths by default).

    ``prefix`` is put before every path (and every ``protected_routes`` path) except the
    keys listed in ``unprefixed`` and absolute URLs; the stored values are the full paths.
    """

    prefix: str = Field("", pattern=r"^(/\S*[^/])?$", description="e.g. '/api/v1'")
    unprefixed: tuple[str, ...] = Field((), description="path keys the prefix is not put before")

    @field_validator("unprefixed")
    @classmethod
    def _known_keys(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(names) - set(cls.model_fields))
        if unknown:
            raise ValueError(f"not path keys: {unknown}")
        return names

    request_context: str = "/request-context/{item_id}"
    items: str = "/items"
    item: str = "/items/{item_id}"
    items_cursor: str = "/items/cursor-paginated"
    authors: str = "/authors"
    author_books: str = "/authors/{author_id}/books"
    author_with_books: str = "/authors/{author_id}/with-books"
    external_data: str = "/external-data"
    user_orders: str = "/orders/user/{user_id}"
    diagnostics: str = "/_diagnostics"
    compute: str = "/compute/{key}"
    items_cached: str = "/items-cached/{item_id}"
    token: str = "/token"
    users_me: str = "/users/me"
    profile: str = "/profile"
    reports: str = "/reports"
    users_list: str = "/users/"
    user_item: str = "/users/{user_id}"
    registration: str = "/register"
    admin_delete_user: str = "/admin/users/{user_id}"
    server_error: str = "/orders/user/1?fail=true"
    docs: str = "/docs"
    openapi: str = "/openapi.json"
    stream_events: str = "/stream/events?max_events=2&interval=0.01"
    stream_data: str = "/stream/data"
    ws_echo: str = "/ws"
    ws_chat: str = Field("/ws/{client_id}", description="the broadcast chat, by integer id")
    ws_client_page: str = "/ws-client"
    sub_apps: tuple[str, ...] = ("/v1", "/v2")
    sub_app_item: str = "/items/{item_id}"
    api_root: str = Field("/", description="the versions index (VER-03)")
    products: str = "/products"
    order_items: str = "/orders/items"
    legacy_items: str = "/legacy/items"
    predict: str = "/predict"
    db_status: str = "/db-status"
    config_info: str = "/config-info"
    health: str = "/health"
    health_live: str = "/health/live"
    health_ready: str = "/health/ready"
    method_not_allowed: str = Field(
        "DELETE /request-context/1",
        description="'METHOD /path' of a route that does not allow that method",
        pattern=r"^[A-Z]+ /\S*$",
    )


# Path keys each capability needs: ``conformance init`` (for a tutorial-shaped document)
# switches off a capability none of whose paths the document shows, and under
# ``contract = "none"`` a capability the profile does not set is promised exactly when one
# of its paths is mapped.
CAPABILITY_PATHS: dict[str, tuple[str, ...]] = {
    "auth": ("token",),
    "registration": ("registration",),
    "pagination": ("items",),
    "cursor_pagination": ("items_cursor",),
    "authors": ("authors", "author_with_books"),
    "external_data": ("external_data",),
    "cache": ("compute", "items_cached"),
    "user_orders": ("user_orders",),
    "server_error_trigger": ("user_orders",),
    "diagnostics": ("diagnostics",),
    "streams": ("stream_data", "stream_events"),
    "validation_models": ("products", "order_items", "legacy_items"),
    "lifecycle": ("predict", "db_status", "config_info"),
    "health": ("health",),
    "health_probes": ("health_live", "health_ready"),
    "request_context": ("request_context",),
    "rbac": ("profile", "reports", "admin_delete_user"),
}


class Capabilities(_Mappable):
    _UNMAPPED: ClassVar[object] = False  # not promised: a check needing it is not applicable

    """What the target has; a check needing an absent capability is skipped with the reason."""

    auth: bool = True
    rbac: bool = True
    registration: bool = True
    rate_limit: bool = True
    pagination: bool = True
    cursor_pagination: bool = True
    authors: bool = True
    external_data: bool = True
    cache: bool = True
    server_error_trigger: bool = True
    sub_apps: bool = True
    streams: bool = True
    docs: bool = True
    cors: bool = True
    access_log: bool = True
    diagnostics: bool = True
    stream_params: bool = True
    websockets: bool = True
    validation_models: bool = Field(True, description="/products, /orders/items, /legacy/items")
    health: bool = True
    user_orders: bool = Field(True, description="/orders/user/{user_id} (DI-01)")
    security_headers: bool = Field(True, description="MW-01's four headers")
    request_id: bool = Field(True, description="the request-id header (MW-02..04)")
    request_context: bool = Field(True, description="/request-context/{item_id} (MW-03, MW-04)")
    health_probes: bool = Field(True, description="/health/live and /health/ready (LIFE-04)")
    openapi: bool = Field(True, description="the target serves an OpenAPI document")
    lifecycle: bool = Field(True, description="/predict, /db-status, /config-info")

    def promised(self, name: str) -> bool:
        """False for a capability ``contract = "none"`` leaves unpromised."""
        return name not in self._unmapped


class Credentials(_Section):
    username: str
    password: str
    scopes: tuple[str, ...] | None = Field(
        None, description="the scopes this user's login asks for; unset: [auth] scopes"
    )


def _default_users() -> dict[str, Credentials]:
    return {
        "admin": Credentials(username="alice", password="secret"),
        "user": Credentials(username="bob", password="bob-password"),
        "analyst": Credentials(username="carol", password="carol-password"),
    }


class Jwt(_Section):
    """How the target signs tokens; the secret enables the forged-token attacks."""

    secret: str = Field("", description="the JWT signing key; empty skips attacks needing it")
    # Without ``secret``: the variable holding the key, looked up in the environment, then in
    # ./.env (where an app run in-process reads it); used once it verifies a target's token.
    secret_env: str = Field("JWT_SECRET_KEY", pattern=r"^([A-Za-z_][A-Za-z0-9_]*)?$")
    algorithm: str = Field("HS256", pattern=r"^(HS|RS|ES|PS)(256|384|512)$|^EdDSA$")
    lifetime_minutes: float = Field(30, gt=0)
    lifetime_tolerance_seconds: float = Field(120, ge=0)
    jwks_url: str = Field(
        "",
        description="where the target publishes its public keys (a JWKS, RFC 7517 §5): a path "
        "or URL; AUTH-10's key confusion signs HS256 with them",
    )


class Auth(_Section):
    """The statuses the target answers in each authentication situation."""

    login_status: int = Field(200, ge=200, le=299, description="a successful login (200, 201, 204)")
    token_cookie: str = Field(
        "", description="cookie carrying the token when the login has no body"
    )
    scheme: str = Field("Bearer", pattern=r"^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*$")
    challenge: bool = Field(True, description="401s carry WWW-Authenticate naming the scheme")
    login_failure_status: int = Field(401, ge=400, le=499)
    unauthenticated_status: int = Field(401, ge=400, le=499)
    invalid_token_status: int = Field(401, ge=400, le=499)
    forbidden_status: int = Field(403, ge=400, le=499)
    subject: Literal["username", "id", ""] = Field(
        "username",
        description="what the token's sub claim holds (AUTH-04): the login name, the 'id' the "
        "me answer shows, or '' (any non-empty string)",
    )
    me_field: str = Field(
        "username",
        description="the member of the me answer (paths.users_me) that holds the login name "
        "(AUTH-05); '' accepts any JSON object",
    )
    login_body: dict[str, Any] | None = Field(
        None,
        description="a JSON login: the body posted to paths.token, its strings' {username} "
        "and {password} replaced by the user's (a TOML table or a JSON string); unset: the "
        "OAuth2 password form",
    )
    scopes: tuple[str, ...] = Field(
        (),
        description="scopes every OAuth2 password login asks for (the form's scope field, "
        "RFC 6749 §3.3), for an app whose operations require them; empty: none asked. "
        "`conformance init` writes those the password flow declares",
    )
    token_pointer: str = Field(
        "/access_token",
        pattern=r"^(/[^/]*)+$",
        description="JSON pointer (RFC 6901) to the token in the login answer, e.g. '/user/token'",
    )

    @field_validator("login_body", mode="before")
    @classmethod
    def _login_template(cls, body: Any) -> Any:
        if isinstance(body, str):
            try:
                body = json.loads(body)
            except ValueError:
                raise ValueError("not a JSON object") from None
        if body is None:
            return body
        if not isinstance(body, dict):
            raise ValueError("not a JSON object")
        leaves = "\n".join(_strings(body))
        missing = [name for name in ("{username}", "{password}") if name not in leaves]
        if missing:
            raise ValueError(f"no {' and no '.join(missing)} placeholder in its strings")
        return body

    @property
    def json_login(self) -> bool:
        return self.login_body is not None


def _strings(node: Any) -> list[str]:
    """Every string value inside a JSON structure (keys left out)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [text for value in node.values() for text in _strings(value)]
    if isinstance(node, list):
        return [text for value in node for text in _strings(value)]
    return []


class ProtectedRoute(_Section):
    """One row of the RBAC matrix: who may call ``method path`` (no roles: any user)."""

    check: Literal["RBAC-02", "RBAC-03", "RBAC-04", "RBAC-05", "RBAC-06"]
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "GET"
    path: str
    roles: tuple[str, ...] = ()


def _default_routes() -> tuple[ProtectedRoute, ...]:
    return (
        ProtectedRoute(check="RBAC-02", path="/profile"),
        ProtectedRoute(
            check="RBAC-03", method="DELETE", path="/admin/users/{user_id}", roles=("admin",)
        ),
        ProtectedRoute(check="RBAC-04", path="/reports", roles=("admin", "analyst")),
        ProtectedRoute(check="RBAC-05", path="/users/", roles=("admin",)),
        ProtectedRoute(check="RBAC-05", path="/users/{user_id}", roles=("admin",)),
        ProtectedRoute(check="RBAC-06", path="/users/me"),
    )


class Cors(_Section):
    allowed_origin: str = "http://localhost:3000"
    disallowed_origin: str = "https://evil.example"


class RateLimit(_Section):
    max_requests: int = Field(5, ge=1, le=10_000)
    window_seconds: float = Field(60.0, gt=0)
    peer_urls: tuple[str, ...] = Field(
        (), description="other processes serving the same app; enables RATE-04"
    )


class WebSockets(_Section):
    peer_urls: tuple[str, ...] = Field(
        (), description="other processes serving the same app; enables WS-07"
    )


class Dependencies(_Section):
    """Names of the app's own dependency functions, for in-process override checks (DI-03)."""

    auth: tuple[str, ...] = ("get_current_user",)
    database: tuple[str, ...] = ("get_session", "get_db")


class Pagination(_Section):
    """Offset and cursor pages: bounds, parameter and body field names (PAGE-01..05)."""

    style: Literal["offset", "page"] = Field("offset", description="skip/limit or page/size")
    offset_param: str = Field("skip", description="the offset (style offset) or page number")
    limit_param: str = Field("limit", description="the page size")
    first_page: int = Field(1, ge=0, le=1, description="number of the first page (style page)")
    items_field: str = Field("items", description="the list of entries in a page body")
    total_field: str = Field("", description="a total count in the page body ('' = none)")
    skip_field: str = Field("skip", description="the body echo of the offset ('' = none)")
    limit_field: str = Field("limit", description="the body echo of the limit ('' = none)")
    default_limit: int = Field(20, ge=1)
    max_limit: int = Field(50, ge=1)
    max_limit_status: int = Field(400, ge=400, le=499, description="a limit above the maximum")
    cursor_param: str = "cursor"
    cursor_limit_param: str = Field("limit", description="the page size of cursor pages")
    next_cursor_field: str = "next_cursor"
    has_more_field: str = Field("has_more", description="'' = more exactly when a cursor is given")
    cursor_max_limit: int = Field(50, ge=1)
    invalid_cursor: Literal["restart", "400"] = "restart"


class Errors(_Section):
    """Statuses of the error situations that are not authentication's."""

    validation_status: int = Field(422, ge=400, le=499, description="invalid input (400 or 422)")


class Messages(_Mappable):
    _UNMAPPED: ClassVar[object] = ""  # the envelope is checked, not the tutorial's words

    """The human-readable message of each error; '' checks the envelope but not its message."""

    validation: str = "Request validation failed"
    login_failure: str = "Incorrect username or password"
    not_authenticated: str = "Not authenticated"
    invalid_token: str = "Could not validate credentials"
    forbidden: str = Field("Requires role(s): {roles}", description="{roles}: comma-separated")
    limit_exceeded: str = Field("limit cannot exceed {max}", description="{max}: the maximum")
    rate_limited: str = "Too many requests"
    item_not_found: str = "Item not found"
    user_not_found: str = "User not found"
    author_not_found: str = "Author not found"


class Streams(_Section):
    ndjson_content_type: str = Field(
        "application/x-ndjson", description="e.g. application/jsonl (STREAM-01)"
    )


class Health(_Section):
    """What ``paths.health`` answers when healthy (LIFE-04)."""

    form: Literal["json", "true", "text"] = Field(
        "json", description='{"status": "ok"}, a bare JSON true, or a plain-text body'
    )
    text: str = Field("OK", description="the plain-text body (form text)")


class Versions(_Section):
    """The OpenAPI ``info`` of each sub-application, in ``paths.sub_apps`` order (VER-02)."""

    titles: tuple[str, ...] = ("My API v1", "My API v2")
    versions: tuple[str, ...] = ("1.0.0", "2.0.0")


class OpenApi(_Mappable):
    _SECTION: ClassVar[str] = "[openapi]"

    """The target's OpenAPI document (OAS); its location is ``paths.openapi``."""

    validate_responses: bool = Field(
        True, description="validate every response the suite receives against the document"
    )
    sub_app_documents: tuple[str, ...] = Field(
        ("/v1/openapi.json", "/v2/openapi.json"),
        description="documents of mounted sub-apps, also used to validate responses "
        "(fetched when capabilities.sub_apps)",
    )
    title: str = "My API"
    version: str = "1.0.0"
    logo: bool = Field(True, description="info.x-logo.url is required (OAS-02)")
    api_key_scheme: str = Field(
        "ApiKeyHeader", description="apiKey scheme required in the header below; '' = none"
    )
    api_key_header: str = "X-API-Key"
    bearer_scheme: str = Field(
        "BearerAuth", description="http bearer (JWT) scheme required; '' = none"
    )
    oauth2_password_flow: bool = Field(
        True, description="an oauth2 password flow whose tokenUrl leads to paths.token"
    )
    webhook: str = Field(
        "item-created", description="the webhook carrying the Item (OAS-04); '' skips OAS-04"
    )
    error_responses_tag: str = Field(
        "users",
        description="protected operations with this tag document 401 and 403 (OAS-05); "
        "'' leaves that part out",
    )


class Ownership(_Section):
    """Which collections' items belong to their creator (RBAC-08), beyond the document's word."""

    collections: tuple[str, ...] = Field(
        (),
        description="create paths of collections whose items belong to their creator, as the "
        "document writes them (e.g. '/items'); a read schema with an owner field "
        "(owner_id, user_id, ...) declares it too",
    )


class Fuzz(_Section):
    """The schemathesis runs of the fuzz area (FUZZ-01..05)."""

    examples: int = Field(
        2,
        ge=0,
        le=100_000,
        description="cases per operation and generation mode (positive, negative); "
        "0 turns the fuzz area off; --fuzz-examples overrides it",
    )
    stateful_examples: int = Field(
        0, ge=0, le=100_000, description="stateful sequences (0: half of examples, at least 1)"
    )
    seed: int = Field(0, description="hypothesis seed: the same seed generates the same cases")
    role: str = Field("admin", description="whose token authenticates protected operations")
    exclude: tuple[str, ...] = Field(
        ("DELETE /admin/users/{user_id}", "* /stream/*"),
        description="'METHOD /path' patterns (fnmatch) never fuzzed: destructive or unbounded",
    )
    unstated_rules: tuple[str, ...] = Field(
        (
            "password and confirm_password must match",
            "password must not contain username",
            "special-use or reserved name",
        ),
        description="a 422 naming one of these rejects schema-valid input for a rule JSON "
        "Schema cannot state (VAL-02's cross-field rules, e-mail domain policy); FUZZ-04 "
        "accepts it",
    )


class Profile(_Section):
    contract: Literal["tutorial", "none"] = Field(
        "tutorial",
        description="'tutorial': SPEC.md's paths, payloads and messages are the defaults; "
        "'none': a contract check runs only where the profile maps what it uses, and is "
        "not applicable elsewhere",
    )
    envelope: str = Field(
        "tutorial", description="the error body style: a name in envelopes.STYLES"
    )
    timeouts: Timeouts = Timeouts()
    limits: Limits = Limits()
    paths: Paths = Paths()
    capabilities: Capabilities = Capabilities()
    users: dict[str, Credentials] = Field(default_factory=_default_users)
    cors: Cors = Cors()
    jwt: Jwt = Jwt()
    auth: Auth = Auth()
    protected_routes: tuple[ProtectedRoute, ...] = Field(default_factory=_default_routes)
    rate_limit: RateLimit = RateLimit()
    websockets: WebSockets = WebSockets()
    pagination: Pagination = Pagination()
    errors: Errors = Errors()
    messages: Messages = Messages()
    streams: Streams = Streams()
    health: Health = Health()
    dependencies: Dependencies = Dependencies()
    versions: Versions = Versions()
    openapi: OpenApi = OpenApi()
    ownership: Ownership = Ownership()
    fuzz: Fuzz = Fuzz()
    secrets: tuple[str, ...] = Field(
        (), description="values that must never appear in any response body"
    )
    request_id_header: str = "X-Request-ID"
    headers: dict[str, str] = Field(
        default_factory=dict,
        description="headers sent with every request of the run (a gateway's key, a tenant "
        "id): never the credentials of a scheme the document declares",
    )

    @model_validator(mode="before")
    @classmethod
    def _apply_prefix(cls, data: Any) -> Any:
        return apply_prefix(data)

    @field_validator("headers")
    @classmethod
    def _sendable(cls, headers: dict[str, str]) -> dict[str, str]:
        for name, value in headers.items():
            if not HEADER_NAME.fullmatch(name):
                raise ValueError(f"{name!r} is not a header name (RFC 9110 token characters)")
            if "\r" in value or "\n" in value:
                raise ValueError(f"the value of {name!r} holds a line break")
        return headers

    @field_validator("envelope")
    @classmethod
    def _known_style(cls, name: str) -> str:
        if name not in STYLES:
            raise ValueError(f"not an envelope style; one of: {', '.join(STYLES)}")
        return name

    @property
    def envelope_style(self) -> EnvelopeStyle:
        """The object that reads error bodies in the profile's style."""
        return STYLES[self.envelope]


def _prefixed(prefix: str, path: str) -> str:
    if path.startswith("/"):
        return prefix + path
    method, _, rest = path.partition(" ")
    if rest.startswith("/") and method.isupper():  # 'METHOD /path'
        return f"{method} {prefix}{rest}"
    return path  # an absolute URL or a relative reference: as given


def apply_prefix(data: Any) -> Any:
    """Put ``paths.prefix`` before every path the profile gives or defaults (see ``Paths``)."""
    if not isinstance(data, dict) or not isinstance(data.get("paths"), dict):
        return data
    paths = dict(data["paths"])
    prefix = paths.get("prefix", "")
    if not isinstance(prefix, str) or not prefix:
        return data
    skip = set(paths.get("unprefixed", ())) | {"prefix", "unprefixed", "sub_app_item"}
    for name, field in Paths.model_fields.items():
        if name in skip:
            continue
        value = paths.get(name, field.default)
        if isinstance(value, str):
            paths[name] = _prefixed(prefix, value)
        elif isinstance(value, list | tuple):
            paths[name] = [_prefixed(prefix, v) if isinstance(v, str) else v for v in value]
    routes = data.get("protected_routes")
    if routes is None:
        routes = [route.model_dump() for route in _default_routes()]
    if isinstance(routes, list | tuple):
        routes = [
            {**route, "path": _prefixed(prefix, route["path"])}
            if isinstance(route, dict) and isinstance(route.get("path"), str)
            else route
            for route in routes
        ]
    return {**data, "paths": paths, "protected_routes": routes}


class ProfileError(Exception):
    """A profile that cannot be used; the message names the file and the key."""


def _describe(error: ValidationError, source: str) -> str:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(root)"
    if first["type"] == "extra_forbidden":
        return (
            f"{source}: unknown profile key '{key}' "
            "(`conformance profile-reference` lists every key)"
        )
    return f"{source}: profile key '{key}': {first['msg']} (got {first.get('input')!r})"


def profile_from_mapping(data: dict[str, Any], source: str) -> Profile:
    if data.get("contract") == "none":
        # no tutorial defaults for who logs in or which routes are protected; paths and
        # messages of their own (never the shared default instances, which get unmapped)
        data = {
            "users": {},
            "protected_routes": [],
            "paths": {},
            "messages": {},
            "capabilities": {},
            "openapi": {},
            **data,
        }
        # who the token names is the target's business until the profile says
        auth = data.get("auth") if isinstance(data.get("auth"), dict) else {}
        data["auth"] = {"subject": "", "me_field": "", **(auth if isinstance(auth, dict) else {})}
    try:
        profile = Profile.model_validate(data)
    except ValidationError as error:
        raise ProfileError(_describe(error, source)) from None
    if profile.contract == "none":
        _unmap_tutorial_defaults(profile, data)
    return profile


def _unmap_tutorial_defaults(profile: Profile, data: dict[str, Any]) -> None:
    """Under ``contract = "none"``: the paths and messages the profile does not give."""
    paths, messages, capabilities = data["paths"], data["messages"], data["capabilities"]
    assert isinstance(paths, dict) and isinstance(messages, dict)  # validated above
    assert isinstance(capabilities, dict)
    assert profile.paths is not Profile.model_fields["paths"].default
    profile.paths._unmapped = frozenset(Paths.model_fields) - set(paths) - PATH_KEYS_ALWAYS_MAPPED
    profile.messages._unmapped = frozenset(Messages.model_fields) - set(messages)
    openapi = data.get("openapi") if isinstance(data.get("openapi"), dict) else {}
    assert isinstance(openapi, dict)
    profile.openapi._unmapped = (
        frozenset(OpenApi.model_fields)
        - set(openapi)
        - {
            "validate_responses",
            "sub_app_documents",
        }
    )
    implied = {name for name, keys in CAPABILITY_PATHS.items() if any(key in paths for key in keys)}
    profile.capabilities._unmapped = (
        frozenset(Capabilities.model_fields) - set(capabilities) - implied - {"openapi", "docs"}
    )


def with_found_paths(profile: Profile, found: dict[str, str]) -> Profile:
    """The profile with the ``[paths]`` keys it leaves unmapped filled from what the target
    declares (``contract = "none"``); a capability a filled path implies is promised."""
    fresh = {key: value for key, value in found.items() if not profile.paths.is_mapped(key)}
    if not fresh:
        return profile
    paths = profile.paths.model_copy(update=fresh)
    paths._unmapped = profile.paths._unmapped - set(fresh)
    capabilities = profile.capabilities.model_copy()
    implied = {name for name, keys in CAPABILITY_PATHS.items() if set(keys) & set(fresh)}
    capabilities._unmapped = profile.capabilities._unmapped - implied
    return profile.model_copy(update={"paths": paths, "capabilities": capabilities})


def load_profile_file(path: Path) -> Profile:
    """A standalone TOML profile: the keys at top level, or under [tool.conformance]."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"--profile: no such file: {path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProfileError(f"{path}: not valid TOML: {error}") from None
    section = data.get("tool", {}).get("conformance")
    if isinstance(section, dict):
        return profile_from_mapping(section, f"{path} [tool.conformance]")
    return profile_from_mapping(data, str(path))


def load_pyproject_profile(pyproject: Path) -> Profile | None:
    """The [tool.conformance] table of a project's pyproject.toml, if it has one."""
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    section = data.get("tool", {}).get("conformance")
    if not isinstance(section, dict):
        return None
    return profile_from_mapping(section, f"{pyproject} [tool.conformance]")


@dataclass(frozen=True)
class ProfileSetting:
    """The profile in force and where it came from (the report header names it)."""

    profile: Profile
    source: str


PROFILE_ENV = "CONFORMANCE_PROFILE"


def find_profile(
    named: str | None = None, source: str = "", base: Path | None = None
) -> ProfileSetting:
    """The one profile lookup: the file ``named`` (relative paths from ``base``), else
    ``[tool.conformance]`` in ./pyproject.toml, else SPEC.md's defaults.

    The pytest plugin names the file from ``--profile`` / ``$CONFORMANCE_PROFILE`` / the ini
    key; the schemathesis extension from ``$CONFORMANCE_PROFILE``.
    """
    if named:
        path = Path(named)
        if base is not None and not path.is_absolute():
            path = base / path
        return ProfileSetting(load_profile_file(path), f"{path} (from {source})")
    pyproject = Path.cwd() / "pyproject.toml"
    if pyproject.is_file():
        found = load_pyproject_profile(pyproject)
        if found is not None:
            return ProfileSetting(found, f"{pyproject} [tool.conformance]")
    return ProfileSetting(Profile(), "SPEC.md defaults")
