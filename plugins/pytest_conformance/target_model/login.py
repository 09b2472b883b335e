"""How the target hands out tokens, as its document declares it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from pytest_conformance.target_model.openapi_document import OpenAPIDocument


@dataclass(frozen=True)
class Login:
    """An OAuth2 password-flow login (RFC 6749 §4.3) or one the profile describes."""

    kind: Literal["form", "json"]
    path: str  # the token endpoint, relative to the target's base URL
    scheme: str = "Bearer"  # the word before the token in ``Authorization``
    source: str = ""  # where the model found it, for the report header
    scopes: tuple[str, ...] = ()  # the scopes the password flow declares, in its order

    def scopes_for(self, role: str, roles: frozenset[str]) -> tuple[str, ...]:
        """What a login of ``role`` asks for, among users of ``roles``: every declared scope
        that names no role, and the scope named after its own role (a scope named after a
        role is a privilege; no user asks for another role's)."""
        return tuple(scope for scope in self.scopes if scope not in roles or scope == role)


def declared_login(document: OpenAPIDocument) -> Login | None:
    """The first OAuth2 scheme with a password flow, read from ``components.securitySchemes``."""
    for name, scheme in security_schemes(document).items():
        if scheme.get("type") != "oauth2":
            continue
        flows = scheme.get("flows")
        password = flows.get("password") if isinstance(flows, dict) else None
        token_url = password.get("tokenUrl") if isinstance(password, dict) else None
        if isinstance(token_url, str) and token_url:
            scopes = password.get("scopes") if isinstance(password, dict) else None
            return Login(
                kind="form",
                path=_relative_path(token_url),
                source=f"securitySchemes.{name} (OAuth2 password flow)",
                scopes=tuple(str(scope) for scope in scopes) if isinstance(scopes, dict) else (),
            )
    return None


def security_schemes(document: OpenAPIDocument) -> dict[str, dict[str, Any]]:
    components = document.document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(schemes, dict):
        return {}
    found: dict[str, dict[str, Any]] = {}
    for name, scheme in schemes.items():
        resolved = document.resolve(scheme)
        if isinstance(resolved, dict):
            found[str(name)] = resolved
    return found


def _relative_path(url: str) -> str:
    """``/token`` of ``token``, ``/token``, ``https://host/token`` (the path is kept as is)."""
    path = urlsplit(url).path if "://" in url else url
    return path if path.startswith("/") else "/" + path
