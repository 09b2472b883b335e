"""OAS — the OpenAPI document (SPEC.md, tutorial Examples 30, 45 and 53)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator
from pytest_conformance import DocumentUnavailable, Profile, ResponseWatch, check, require, unmapped
from pytest_conformance.target_model.openapi_document import DocumentError, OpenAPIDocument

from conformance.documents import (
    dereference,
    fetch_document,
    references,
    resolve_local,
)
from conformance.reach import reachable_gets

MAX_LISTED = 8
# Header field names and auth scheme names are case-insensitive (RFC 9110 §5.1, §11.1).
_CASE_INSENSITIVE = {"name", "scheme"}


def _listing(problems: list[str]) -> str:
    shown = problems[:MAX_LISTED]
    more = f"\n  … and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
    return "\n".join(f"  - {problem}" for problem in shown) + more


def _fail(what: str, problems: list[str], hint: str | None = None) -> None:
    __tracebackhide__ = True
    message = f"{what}:\n{_listing(problems)}"
    if hint:
        message += f"\n  hint: {hint}"
    pytest.fail(message, pytrace=False)


@check("OAS-01", "the document is valid OpenAPI 3.1 and every $ref resolves", ref="Ex 53")
def test_document_is_valid(client: httpx.Client, conformance_profile: Profile) -> None:
    _, document = fetch_document(client, conformance_profile)
    version = str(document.get("openapi", ""))
    if not version.startswith("3.1."):
        _fail("the document is not OpenAPI 3.1", [f"openapi: {version or '<missing>'}"])
    dangling = []
    for where, ref in references(document):
        try:
            resolve_local(document, ref)
        except KeyError:
            dangling.append(f"{where}: $ref {ref!r} resolves to nothing")
    if dangling:
        _fail(
            "the document has $refs that do not resolve",
            dangling,
            hint="every $ref must point inside the document, at something that exists",
        )
    errors = [
        f"{'/'.join(str(part) for part in error.path) or '<root>'}: {error.message}"
        for error in OpenAPIV31SpecValidator(_item_schemas_as_extensions(document)).iter_errors()
    ]
    if errors:
        _fail("the document breaks the OpenAPI 3.1 schema", errors)


STREAM_KEYWORDS = ("itemSchema", "itemEncoding", "prefixEncoding")  # OpenAPI 3.2 media types


def _item_schemas_as_extensions(node: Any) -> Any:
    """A copy where a media type's OpenAPI 3.2 stream keywords read as ``x-`` extensions.

    Recent FastAPI writes ``itemSchema`` into the 3.1 document of every streamed
    operation, and SPEC.md's STREAM-06 reads it there; failing OAS-01 on it would fail
    every FastAPI app that streams for what its framework writes (a note in SPEC terms:
    the 3.1 meta-schema predates the keyword)."""
    if isinstance(node, list):
        return [_item_schemas_as_extensions(value) for value in node]
    if not isinstance(node, dict):
        return node
    copied = {key: _item_schemas_as_extensions(value) for key, value in node.items()}
    if "schema" in copied or any(key in copied for key in STREAM_KEYWORDS):
        for key in STREAM_KEYWORDS:
            if key in copied and f"x-{key}" not in copied:
                copied[f"x-{key}"] = copied.pop(key)
    return copied


@check("OAS-02", "info names the API, its version and a logo", ref="Ex 53")
def test_document_info(client: httpx.Client, conformance_profile: Profile) -> None:
    _, document = fetch_document(client, conformance_profile)
    info = document.get("info")
    info = info if isinstance(info, dict) else {}
    wanted = conformance_profile.openapi
    problems = []
    if info.get("title") != wanted.title:
        problems.append(f"info.title is {info.get('title')!r}, expected {wanted.title!r}")
    if info.get("version") != wanted.version:
        problems.append(f"info.version is {info.get('version')!r}, expected {wanted.version!r}")
    logo = info.get("x-logo")
    url = logo.get("url") if isinstance(logo, dict) else None
    if wanted.logo and (not isinstance(url, str) or not url.strip()):
        problems.append(f"info.x-logo.url is not set (x-logo: {json.dumps(logo)})")
    if problems:
        _fail("the document's info", problems, hint="[openapi] title and version in the profile")


def _scheme_problems(name: str, scheme: Any, wanted: dict[str, str]) -> list[str]:
    if not isinstance(scheme, dict):
        return [f"securitySchemes has no {name!r} (found: see the document)"]
    problems = []
    for key, value in wanted.items():
        found = scheme.get(key)
        matches = isinstance(found, str) and (
            found.lower() == value.lower() if key in _CASE_INSENSITIVE else found == value
        )
        if not matches:
            problems.append(f"{name}.{key} is {found!r}, expected {value!r}")
    return problems


def _oauth2_password_problems(
    schemes: dict[str, Any], document_url: httpx.URL, token_path: str
) -> list[str]:
    """An oauth2 scheme with a password flow whose tokenUrl leads to the token endpoint."""
    flows = {
        name: scheme.get("flows", {}).get("password")
        for name, scheme in schemes.items()
        if isinstance(scheme, dict) and scheme.get("type") == "oauth2"
    }
    password_flows = {name: flow for name, flow in flows.items() if isinstance(flow, dict)}
    if not password_flows:
        return ["no oauth2 scheme with a password flow (the OAuth2 login must stay documented)"]
    expected = urlsplit(urljoin(str(document_url), token_path)).path
    found = {
        name: str(flow.get("tokenUrl"))
        for name, flow in password_flows.items()
        if urlsplit(urljoin(str(document_url), str(flow.get("tokenUrl", "")))).path == expected
    }
    if found:
        return []
    urls = {name: flow.get("tokenUrl") for name, flow in password_flows.items()}
    return [f"the password flow's tokenUrl {urls} does not lead to {expected}"]


@check("OAS-03", "security schemes are merged, the OAuth2 password flow kept", ref="Ex 53, 30")
def test_security_schemes(client: httpx.Client, conformance_profile: Profile) -> None:
    response, document = fetch_document(client, conformance_profile)
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    schemes = schemes if isinstance(schemes, dict) else {}
    wanted = conformance_profile.openapi
    problems = []
    if wanted.api_key_scheme:
        problems += _scheme_problems(
            wanted.api_key_scheme,
            schemes.get(wanted.api_key_scheme),
            {"type": "apiKey", "in": "header", "name": wanted.api_key_header},
        )
    if wanted.bearer_scheme:
        problems += _scheme_problems(
            wanted.bearer_scheme,
            schemes.get(wanted.bearer_scheme),
            {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        )
    if wanted.oauth2_password_flow:
        problems += _oauth2_password_problems(
            schemes, response.request.url, conformance_profile.paths.token
        )
    if not (wanted.api_key_scheme or wanted.bearer_scheme or wanted.oauth2_password_flow):
        pytest.skip("the profile requires no security scheme ([openapi])")
    if problems:
        _fail(
            f"components.securitySchemes (found {sorted(schemes)})",
            problems,
            hint="add schemes to FastAPI's generated ones rather than replacing them",
        )


@check("OAS-04", "the item-created webhook carries the Item schema", ref="Ex 53")
def test_item_created_webhook(client: httpx.Client, conformance_profile: Profile) -> None:
    _, document = fetch_document(client, conformance_profile)
    name = conformance_profile.openapi.webhook
    if not name:
        pytest.skip("the profile says the target declares no webhook ([openapi] webhook)")
    webhooks = document.get("webhooks")
    hook = webhooks.get(name) if isinstance(webhooks, dict) else None
    post = hook.get("post") if isinstance(hook, dict) else None
    if not isinstance(post, dict):
        _fail("no webhook operation", [f"webhooks[{name!r}].post is missing"])
        return
    body = post.get("requestBody", {})
    content = body.get("content", {}) if isinstance(body, dict) else {}
    schema = (
        content.get("application/json", {}).get("schema") if isinstance(content, dict) else None
    )
    if not isinstance(schema, dict) or not isinstance(schema.get("$ref"), str):
        _fail(
            f"webhooks[{name!r}].post's JSON request body",
            [f"expected a $ref to the Item schema, found {json.dumps(schema)}"],
        )
        return
    try:
        target = dereference(document, schema)
    except KeyError:
        _fail(f"webhooks[{name!r}]'s body", [f"{schema['$ref']} resolves to nothing"])
        return
    properties = target.get("properties", {}) if isinstance(target, dict) else {}
    missing = {"name", "price"} - set(properties)
    if missing:
        _fail(
            f"webhooks[{name!r}]'s body schema {schema['$ref']} is not the Item",
            [f"it lacks the Item's properties {sorted(missing)}"],
        )


def _protected_routes(profile: Profile) -> list[tuple[str, str]]:
    routes: list[tuple[str, str]] = [
        (route.method, route.path) for route in profile.protected_routes
    ]
    if profile.capabilities.diagnostics:
        routes.append(("GET", profile.paths.diagnostics))
    return routes


@check("OAS-05", "protected operations declare security; users ops document 401/403", ref="Ex 45")
def test_security_requirements(client: httpx.Client, conformance_profile: Profile) -> None:
    _, document = fetch_document(client, conformance_profile)
    require(conformance_profile, "auth")
    try:
        described = OpenAPIDocument(document)
    except DocumentError as error:
        _fail("the document cannot be read for its operations", [str(error)])
        return
    routes = _protected_routes(conformance_profile)
    if not routes:
        unmapped(conformance_profile, "the profile's protected_routes table is empty")
    problems = []
    for method, path in routes:
        operation = described.find(method, path)
        if operation is None:
            problems.append(f"{method} {path} is protected but not in the document")
        elif not operation.requires_credentials:
            security = json.dumps(operation.security)
            problems.append(f"{operation.name} declares no security requirement ({security})")
    tag = conformance_profile.openapi.error_responses_tag
    tagged = [
        operation
        for operation in described.operations()
        if tag and tag in operation.tags and operation.requires_credentials
    ]
    if tag and not tagged:
        problems.append(f"no protected operation is tagged {tag!r}")
    for operation in tagged:
        missing = sorted({"401", "403"} - set(map(str, operation.responses)))
        if missing:
            problems.append(f"{operation.name} (tag {tag!r}) does not document {missing}")
    if problems:
        _fail("security in the document", problems, hint="[openapi] error_responses_tag")


@check("OAS-07", "the document is generated once: two fetches are identical", ref="Ex 53")
def test_document_is_cached(client: httpx.Client, conformance_profile: Profile) -> None:
    first_response, first = fetch_document(client, conformance_profile)
    second_response, second = fetch_document(client, conformance_profile)
    if first != second:
        changed = sorted(
            key for key in set(first) | set(second) if first.get(key) != second.get(key)
        )
        _fail(
            "two fetches of the document differ",
            [f"top-level members that changed: {changed}"],
            hint="build the document once and serve the cached copy",
        )
    if first_response.content != second_response.content:
        _fail(
            "two fetches of the document differ in their bytes",
            [f"{len(first_response.content)} bytes, then {len(second_response.content)} bytes"],
        )


MAX_GETS = 40  # documented GETs OAS-06 calls itself


@check("OAS-06", "every documented GET the suite can reach answers as declared", ref="Ex 53")
def test_documented_answers(
    client: httpx.Client, conformance_profile: Profile, response_watch: ResponseWatch
) -> None:
    """Every response of every check is validated by the plugin, and what breaks the document
    is reported once per finding as ``conformance/findings::OAS-06[…]``; this check calls
    every GET of the document it can reach (path parameters from listings, credentials where
    the operation declares security), so OAS-06 judges each operation even under ``-m oas``.
    It fails itself only when the document cannot be used."""
    require(conformance_profile, "openapi")
    if not conformance_profile.openapi.validate_responses:
        pytest.skip("response validation is off ([openapi] validate_responses = false)")
    try:
        document = response_watch.document()
    except DocumentUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    reach = reachable_gets(document, client, conformance_profile, MAX_GETS)
    if not reach.calls:
        pytest.skip("no documented GET can be reached: " + "; ".join(reach.left_out[:5]))
    for _, path, headers in reach.calls:
        # the plugin judges each answer against the document (OAS-06's findings items)
        client.get(path, headers=headers)
