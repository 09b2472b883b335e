"""The credentials a request the fuzz run makes on its own needs (FUZZ-05 reads, cleanup).

A documented operation without security is called without credentials. A secured one is
called as the profile's user of the role it needs: the roles of its ``[[protected_routes]]``
row, else the scopes of its security requirement that name profile roles, else the fuzz
role. The ``[fuzz] role`` is preferred whenever it qualifies. No user for any of those
roles: the request is not made, and the reason says which ``[users.<role>]`` is missing.
When nothing names the roles, the fuzz role is a guess (``Chosen.guessed``): a 403 to it
says the guess was wrong, not that the target is (``Chosen.hint`` names the scopes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pytest_conformance import Profile, Target
from pytest_conformance.target_model.openapi_document import Operation

from conformance.fuzzing.tokens import TokenSource

_PARAMETER = re.compile(r"\{[^}/]*\}")


@dataclass(frozen=True)
class Chosen:
    headers: dict[str, str] = field(default_factory=dict)
    role: str = ""
    reason: str = ""  # set: the request cannot be made with any credentials the profile has
    guessed: bool = False  # nothing named the roles: the fuzz role was tried
    hint: str = ""  # what the operation declares that could name the role it needs


def _shape(template: str) -> str:
    return _PARAMETER.sub("{}", template).rstrip("/")


def scopes_of(operation: Operation) -> tuple[str, ...]:
    """The scopes the operation's security requirements list (OAuth2 roles, often)."""
    found: dict[str, None] = {}
    for item in operation.security or ():
        if isinstance(item, dict):
            for listed in item.values():
                if isinstance(listed, list):
                    found.update((str(scope), None) for scope in listed)
    return tuple(found)


class Credentials:
    def __init__(self, target: Target, profile: Profile, fuzz_tokens: TokenSource) -> None:
        self._target = target
        self._profile = profile
        self._tokens = {profile.fuzz.role: fuzz_tokens}

    def roles(self, operation: Operation) -> tuple[str, ...]:
        """The roles allowed to call ``operation`` as far as the profile and document say."""
        shape = _shape(operation.template)
        for route in self._profile.protected_routes:
            if route.method.upper() == operation.method and (
                _shape(route.path) == shape or _shape(route.path).endswith(shape)
            ):
                return route.roles
        scopes = scopes_of(operation)
        return tuple(role for role in self._profile.users if role in scopes)

    def for_operation(self, operation: Operation) -> Chosen:
        if not operation.requires_credentials:
            return Chosen()
        named = self.roles(operation)
        allowed = named or (self._profile.fuzz.role,)
        preferred = [self._profile.fuzz.role] if self._profile.fuzz.role in allowed else []
        scopes = scopes_of(operation)
        hint = (
            f"{operation.name} declares the scope(s) {', '.join(scopes)}: name a profile user "
            f"of that role ({' or '.join(f'[users.{scope}]' for scope in scopes)})"
            if scopes and not named
            else ""
        )
        for role in (*preferred, *allowed):
            if role in self._profile.users and self._profile.capabilities.auth:
                token = self._source(role).token()
                if token is not None:
                    scheme = self._profile.auth.scheme
                    header = {"Authorization": f"{scheme} {token}"}
                    return Chosen(header, role, guessed=not named, hint=hint)
        wanted = " or ".join(f"[users.{role}]" for role in allowed)
        return Chosen(reason=f"{operation.name} needs a user the profile does not name ({wanted})")

    def _source(self, role: str) -> TokenSource:
        source = self._tokens.get(role)
        if source is None:
            source = self._tokens[role] = TokenSource(self._target, self._profile, role)
        return source
