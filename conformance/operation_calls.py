"""Calling a documented operation: one representative request built from the document,
and the credentials of the profile's user when the operation declares security.

Path parameters get values that cannot name an existing resource (``absent_value``)
unless the caller gives them, so a request the target wrongly lets through never
touches data the suite did not create.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from pytest_conformance import Profile, unmapped
from pytest_conformance.target_model import DeclaredOperation, TargetModel

from conformance.examples import NoExample, example_value, merged
from conformance.session import bearer, shared_token

ABSENT_INTEGER = 2_147_483_000  # below 2**31: a 32-bit id column still parses it


@dataclass(frozen=True)
class Call:
    """A request ready to send: ``call.send(client)``."""

    operation: DeclaredOperation
    path: str  # filled, with the document's server prefix
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None
    form: dict[str, Any] | None = None

    def send(
        self,
        client: httpx.Client,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send it, with ``headers`` and ``params`` over its own (credentials, a forgery)."""
        merged_headers = {**self.headers, **(headers or {})}
        merged_params = {**self.params, **(params or {})}
        if self.form is not None:
            return client.request(
                self.operation.method, self.path, params=merged_params, headers=merged_headers,
                data=self.form,
            )  # fmt: skip
        if self.json is not None or self.operation.body_media is not None:
            return client.request(
                self.operation.method, self.path, params=merged_params, headers=merged_headers,
                json=self.json,
            )  # fmt: skip
        return client.request(
            self.operation.method, self.path, params=merged_params, headers=merged_headers
        )

    def describe(self) -> str:
        return f"{self.operation.method} {self.path}"


class Unbuildable(ValueError):
    """The document does not say enough to build a valid request for this operation."""


def absent_value(schema: Mapping[str, Any]) -> Any:
    """A path value of ``schema``'s type that names no existing resource."""
    kind = schema.get("type")
    if kind == "integer" or (isinstance(kind, list) and "integer" in kind):
        maximum = schema.get("maximum")
        return min(ABSENT_INTEGER, maximum) if isinstance(maximum, int) else ABSENT_INTEGER
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    return f"conf-absent-{secrets.token_hex(6)}"


def representative_call(
    model: TargetModel,
    operation: DeclaredOperation,
    *,
    path_values: Mapping[str, Any] | None = None,
    body: Any = None,
    marker: str = "",
) -> Call:
    """A request the document says is valid; ``Unbuildable`` when it cannot tell one.

    Path parameters take ``path_values`` or an absent value; required query, header and
    cookie parameters and the body take the document's examples or the smallest values
    their schemas allow.
    """
    document = model.document
    marker = marker or secrets.token_hex(4)
    path = operation.template
    for parameter in operation.path_parameters:
        given = (path_values or {}).get(parameter.name)
        value = absent_value(merged(document, parameter.schema)) if given is None else given
        path = path.replace("{" + parameter.name + "}", str(value))
    params: dict[str, Any] = {}
    headers: dict[str, str] = {}
    for parameter in operation.parameters:
        if parameter.location == "path" or not parameter.required:
            continue
        try:
            value = example_value(document, parameter.schema, marker=marker)
        except NoExample as error:
            raise Unbuildable(f"{operation.name}: parameter {parameter.name}: {error}") from None
        if parameter.location == "query":
            params[parameter.name] = value
        elif parameter.location == "header":
            headers[parameter.name] = str(value)
    prefix = document.base_path if document is not None else ""
    if body is None and operation.body_media is not None:
        try:
            body = example_value(document, operation.body_schema, marker=marker)
        except NoExample as error:
            raise Unbuildable(f"{operation.name}: request body: {error}") from None
    if operation.body_media is not None and operation.body_media != "application/json":
        form = body if isinstance(body, dict) else {}
        return Call(operation, prefix + path, params, headers, form=form)
    return Call(operation, prefix + path, params, headers, json=body)


def token_path(profile: Profile, model: TargetModel | None) -> str:
    """Where to log in: the profile's ``[paths] token``, else the document's OAuth2
    password flow; not applicable when neither says."""
    __tracebackhide__ = True
    if profile.paths.is_mapped("token"):
        return profile.paths.token
    if model is not None and model.login is not None:
        prefix = model.document.base_path if model.document is not None else ""
        path = model.login.path
        return path if path.startswith(prefix) else prefix + path
    unmapped(
        profile,
        "the profile maps no [paths] token and the document declares no OAuth2 password flow",
    )


def credentials(
    client: httpx.Client, profile: Profile, model: TargetModel, role: str
) -> dict[str, str]:
    """The ``Authorization`` header of the profile's user of ``role`` (one shared token)."""
    __tracebackhide__ = True
    return bearer(shared_token(client, profile, role, token_path(profile, model)), profile)


def credentials_for(
    client: httpx.Client,
    profile: Profile,
    model: TargetModel,
    operation: DeclaredOperation,
    role: str | None = None,
) -> dict[str, str]:
    """Credentials when ``operation`` declares security (the profile's user of ``role``,
    by default the one it authenticates protected operations with); none otherwise."""
    __tracebackhide__ = True
    if not operation.secured:
        return {}
    return credentials(client, profile, model, role or default_role(profile))


def default_role(profile: Profile) -> str:
    """The role whose user calls secured operations: ``[fuzz] role`` when the profile has
    that user, else the first user it names."""
    if profile.fuzz.role in profile.users:
        return profile.fuzz.role
    return next(iter(profile.users), profile.fuzz.role)
