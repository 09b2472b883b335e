"""The profile: what a team tells the suite about its target.

Every default is SPEC.md's default profile, so a target that follows the contract
literally needs no profile at all. Unknown keys and bad values are refused (the
plugin turns the validation error into a one-line usage error naming the key).
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Timeouts(_Section):
    """Seconds; every network wait of the suite is bounded by one of these."""

    request: float = Field(5.0, gt=0, le=300, description="one HTTP exchange")
    startup: float = Field(15.0, gt=0, le=600, description="lifespan startup or server readiness")
    shutdown: float = Field(10.0, gt=0, le=600, description="lifespan shutdown or server stop")
    stream: float = Field(5.0, gt=0, le=300, description="one read from a stream or WebSocket")


class Paths(_Section):
    """Where each operation lives on the target (SPEC.md's paths by default)."""

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


class Capabilities(_Section):
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
    lifecycle: bool = Field(True, description="/predict, /db-status, /config-info")


class Credentials(_Section):
    username: str
    password: str


def _default_users() -> dict[str, Credentials]:
    return {
        "admin": Credentials(username="alice", password="secret"),
        "user": Credentials(username="bob", password="bob-password"),
        "analyst": Credentials(username="carol", password="carol-password"),
    }


class Jwt(_Section):
    """How the target signs tokens; the secret enables the forged-token attacks."""

    secret: str = Field("", description="the JWT signing key; empty skips attacks needing it")
    algorithm: str = Field("HS256", pattern=r"^(HS|RS|ES|PS)(256|384|512)$|^EdDSA$")
    lifetime_minutes: float = Field(30, gt=0)
    lifetime_tolerance_seconds: float = Field(120, ge=0)


class Auth(_Section):
    """The statuses the target answers in each authentication situation."""

    login_failure_status: int = Field(401, ge=400, le=499)
    unauthenticated_status: int = Field(401, ge=400, le=499)
    invalid_token_status: int = Field(401, ge=400, le=499)
    forbidden_status: int = Field(403, ge=400, le=499)


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
    """Offset and cursor page bounds (PAGE-01..04)."""

    default_limit: int = Field(20, ge=1)
    max_limit: int = Field(50, ge=1)
    cursor_max_limit: int = Field(50, ge=1)
    invalid_cursor: Literal["restart", "400"] = "restart"


class Versions(_Section):
    """The OpenAPI ``info`` of each sub-application, in ``paths.sub_apps`` order (VER-02)."""

    titles: tuple[str, ...] = ("My API v1", "My API v2")
    versions: tuple[str, ...] = ("1.0.0", "2.0.0")


class Profile(_Section):
    envelope: Literal["tutorial", "rfc9457"] = "tutorial"
    timeouts: Timeouts = Timeouts()
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
    dependencies: Dependencies = Dependencies()
    versions: Versions = Versions()
    secrets: tuple[str, ...] = Field(
        (), description="values that must never appear in any response body"
    )
    request_id_header: str = "X-Request-ID"


class ProfileError(Exception):
    """A profile that cannot be used; the message names the file and the key."""


def _describe(error: ValidationError, source: str) -> str:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(root)"
    if first["type"] == "extra_forbidden":
        return f"{source}: unknown profile key '{key}' (see the profile reference in README.md)"
    return f"{source}: profile key '{key}': {first['msg']} (got {first.get('input')!r})"


def profile_from_mapping(data: dict[str, Any], source: str) -> Profile:
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        raise ProfileError(_describe(error, source)) from None


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
