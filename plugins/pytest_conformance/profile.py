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
    token: str = "/token"
    users_me: str = "/users/me"
    admin_delete_user: str = "/admin/users/{user_id}"
    server_error: str = "/orders/user/1?fail=true"
    docs: str = "/docs"
    openapi: str = "/openapi.json"
    stream_events: str = "/stream/events?max_events=2&interval=0.01"
    sub_apps: tuple[str, ...] = ("/v1", "/v2")
    sub_app_item: str = "/items/{item_id}"
    method_not_allowed: str = Field(
        "DELETE /request-context/1",
        description="'METHOD /path' of a route that does not allow that method",
        pattern=r"^[A-Z]+ /\S*$",
    )


class Capabilities(_Section):
    """What the target has; a check needing an absent capability is skipped with the reason."""

    auth: bool = True
    rbac: bool = True
    rate_limit: bool = True
    pagination: bool = True
    server_error_trigger: bool = True
    sub_apps: bool = True
    streams: bool = True
    docs: bool = True
    cors: bool = True
    access_log: bool = True
    diagnostics: bool = True


class Credentials(_Section):
    username: str
    password: str


def _default_users() -> dict[str, Credentials]:
    return {
        "admin": Credentials(username="alice", password="secret"),
        "user": Credentials(username="bob", password="bob-password"),
        "analyst": Credentials(username="carol", password="carol-password"),
    }


class Cors(_Section):
    allowed_origin: str = "http://localhost:3000"
    disallowed_origin: str = "https://evil.example"


class RateLimit(_Section):
    max_requests: int = Field(5, ge=1, le=10_000)
    window_seconds: float = Field(60.0, gt=0)


class Profile(_Section):
    envelope: Literal["tutorial", "rfc9457"] = "tutorial"
    timeouts: Timeouts = Timeouts()
    paths: Paths = Paths()
    capabilities: Capabilities = Capabilities()
    users: dict[str, Credentials] = Field(default_factory=_default_users)
    cors: Cors = Cors()
    rate_limit: RateLimit = RateLimit()
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
