"""Which kinds of credentials an operation's document says it takes, and how a refusal of
each looks (AUTH-09 judges a Basic or API-key operation by its own scheme, not Bearer's).

- A token scheme (``oauth2``, ``openIdConnect``, ``http`` ``bearer``, or a name the
  document does not define) takes the profile's tokens: the forged ones of AUTH-07, the
  profile's statuses and its challenge.
- ``http`` ``basic`` takes a user and password: made-up ones must get a 401 with a
  ``Basic`` challenge (RFC 7617 §2, RFC 9110 §11.6.1).
- ``apiKey`` takes a key in a header, query parameter or cookie; no challenge scheme
  exists for it, so a 401 or a 403 without one is a refusal.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pytest_conformance.target_model import DeclaredOperation, TargetModel
from pytest_conformance.target_model.login import security_schemes

TOKEN_TYPES = ("oauth2", "openIdConnect")
API_KEY_REFUSALS = (401, 403)


@dataclass(frozen=True)
class ApiKey:
    location: str  # header, query or cookie
    name: str


@dataclass(frozen=True)
class DeclaredSchemes:
    token: bool
    basic: bool
    api_keys: tuple[ApiKey, ...]


def declared_schemes(model: TargetModel, operation: DeclaredOperation) -> DeclaredSchemes:
    defined = security_schemes(model.document) if model.document is not None else {}
    return kinds_of(operation.schemes, defined)


def kinds_of(names: Iterable[str], defined: Mapping[str, Any]) -> DeclaredSchemes:
    """The kinds of the schemes ``names``, as the document's ``securitySchemes`` define them."""
    token = basic = False
    api_keys: list[ApiKey] = []
    for name in names:
        scheme = defined.get(name)
        scheme = scheme if isinstance(scheme, dict) else {}
        kind = scheme.get("type")
        http_scheme = str(scheme.get("scheme", "")).lower()
        if kind == "http" and http_scheme == "basic":
            basic = True
        elif kind == "apiKey":
            api_keys.append(ApiKey(str(scheme.get("in", "header")), str(scheme.get("name", ""))))
        elif kind in TOKEN_TYPES or kind is None or (kind == "http" and http_scheme == "bearer"):
            token = True
    return DeclaredSchemes(token=token, basic=basic, api_keys=tuple(api_keys))


def challenge_for(schemes: DeclaredSchemes, token_scheme: str) -> str | None:
    """The scheme a 401's challenge must name: the profile's for tokens (and for an
    operation that declares no scheme, such as a login), ``Basic`` for HTTP Basic; None for
    API keys alone, which have no challenge scheme."""
    if schemes.token or not (schemes.basic or schemes.api_keys):
        return token_scheme
    return "Basic" if schemes.basic else None


def made_up_basic() -> dict[str, str]:
    """An Authorization header with a user and password nobody has."""
    pair = f"conformance-nobody-{secrets.token_hex(4)}:{secrets.token_urlsafe(12)}"
    return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode("ascii")}


def made_up_key() -> str:
    return f"conformance-made-up-{secrets.token_urlsafe(16)}"
