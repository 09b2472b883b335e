"""VER — versioned sub-applications (SPEC.md, tutorial Example 44)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pytest_conformance import Profile, Target, check, require

from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import assert_envelope, json_body
from conformance.assertions.headers import assert_security_headers
from conformance.authorized import signed_in

MARKER_ITEM = 7


def _prefixes(profile: Profile) -> tuple[str, ...]:
    require(profile, "sub_apps")
    return profile.paths.sub_apps


def _name(prefix: str) -> str:
    return prefix.strip("/")


def _item(client: httpx.Client, profile: Profile, prefix: str) -> tuple[httpx.Response, Any]:
    path = prefix + profile.paths.sub_app_item.format(item_id=MARKER_ITEM)
    response = client.get(path)
    if response.status_code != 200:
        mismatch(f"{prefix} does not serve its item", "status 200", response)
    return response, json_body(response, f"{prefix} item")


@check("VER-01", "each version answers its own item shape", ref="Ex 44")
def test_versioned_items(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        prefixes = _prefixes(conformance_profile)
        if len(prefixes) < 2:
            pytest.skip("the profile names fewer than two sub-apps ([paths] sub_apps)")
        first, second = prefixes[0], prefixes[1]
        response, body = _item(client, conformance_profile, first)
        want: dict[str, Any] = {"id": MARKER_ITEM, "name": f"item-{MARKER_ITEM}"}
        if {key: body.get(key) for key in want} != want:
            mismatch(f"{first} item shape (VER-01)", str(want), response)
        response, body = _item(client, conformance_profile, second)
        want = {
            **want,
            "display_name": f"Item #{MARKER_ITEM} ({_name(second)})",
            "version": _name(second),
        }
        if {key: body.get(key) for key in want} != want:
            mismatch(f"{second} item shape (VER-01)", str(want), response)


def _root_only_paths(profile: Profile) -> set[str]:
    """Paths SPEC places on the root app: a sub-app's document must not list them."""
    paths = profile.paths
    return {paths.token, paths.registration, paths.users_me, paths.health, paths.config_info}


def _mapping(document: dict[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key)
    return value if isinstance(value, dict) else {}


@check("VER-02", "each sub-app documents itself", ref="Ex 44")
@pytest.mark.parametrize("index", [0, 1], ids=["first", "second"])
def test_sub_app_openapi(index: int, target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        prefixes = _prefixes(conformance_profile)
        if index >= len(prefixes):
            pytest.skip("the profile names fewer sub-apps ([paths] sub_apps)")
        prefix = prefixes[index]
        response = client.get(prefix + conformance_profile.paths.openapi)
        if response.status_code != 200:
            mismatch(f"{prefix} serves no OpenAPI document (VER-02)", "status 200", response)
        document = json_body(response, f"{prefix} OpenAPI document")
        versions = conformance_profile.versions
        if index >= min(len(versions.titles), len(versions.versions)):
            pytest.skip(f"the profile gives no title/version for {prefix} ([versions])")
        want = {"title": versions.titles[index], "version": versions.versions[index]}
        info = _mapping(document, "info")
        if {key: info.get(key) for key in want} != want:
            mismatch(f"{prefix} document info (VER-02)", str(want), response)
        servers = document.get("servers")
        urls = (
            [entry.get("url") for entry in servers if isinstance(entry, dict)]
            if isinstance(servers, list)
            else []
        )
        if prefix not in urls:
            mismatch(f"{prefix} document's servers do not name the prefix (VER-02)",
                     f'servers: [{{"url": "{prefix}"}}]', response)  # fmt: skip
        paths = _mapping(document, "paths")
        item = conformance_profile.paths.sub_app_item
        if item not in paths:
            mismatch(
                f"{prefix} document lacks its own route (VER-02)", f"paths[{item!r}]", response
            )
        foreign = sorted(_root_only_paths(conformance_profile) & set(paths))
        foreign += sorted(
            path for path in paths for other in prefixes if path.startswith(other + "/")
        )
        if foreign:
            mismatch(f"{prefix} document lists routes that are not its own: {foreign} (VER-02)",
                     "only the sub-app's routes", response)  # fmt: skip


@check("VER-02", "each sub-app serves Swagger UI for its own document", ref="Ex 44")
@pytest.mark.parametrize("index", [0, 1], ids=["first", "second"])
def test_sub_app_docs(index: int, target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        prefixes = _prefixes(conformance_profile)
        require(conformance_profile, "docs")
        if index >= len(prefixes):
            pytest.skip("the profile names fewer sub-apps ([paths] sub_apps)")
        prefix = prefixes[index]
        response = client.get(prefix + conformance_profile.paths.docs)
        document = prefix + conformance_profile.paths.openapi
        if response.status_code != 200 or "text/html" not in response.headers.get(
            "content-type", ""
        ):
            mismatch(f"{prefix} serves no docs page (VER-02)", "200 text/html", response)
        if "swagger" not in response.text.lower() or f"'{document}'" not in response.text.replace(
            '"', "'"
        ):
            mismatch(f"{prefix} docs page is not Swagger UI on its own document (VER-02)",
                     f"Swagger UI loading {document!r}", response)  # fmt: skip


@check("VER-03", "the root lists the versions", ref="Ex 44")
def test_api_root(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        prefixes = _prefixes(conformance_profile)
        response = client.get(conformance_profile.paths.api_root)
        if response.status_code != 200:
            mismatch("the API root does not answer (VER-03)", "status 200", response)
        body = json_body(response, "the API root")
        names = [_name(prefix) for prefix in prefixes]
        want: dict[str, Any] = {"versions": names, "latest": names[-1]}
        want |= {f"{name}_docs": f"{prefix}{conformance_profile.paths.docs}"
                 for name, prefix in zip(names, prefixes, strict=True)}  # fmt: skip
        if {key: body.get(key) for key in want} != want:
            mismatch("the API root does not describe the versions (VER-03)", str(want), response)


@check("VER-04", "middleware and the envelope hold under every sub-app", ref="Ex 44, 42, 51")
@pytest.mark.parametrize("index", [0, 1], ids=["first", "second"])
def test_sub_app_middleware_and_envelope(
    index: int, target: Target, conformance_profile: Profile
) -> None:
    prefixes = _prefixes(conformance_profile)
    if index >= len(prefixes):
        pytest.skip("the profile names fewer sub-apps ([paths] sub_apps)")
    prefix = prefixes[index]
    header = conformance_profile.request_id_header
    item = conformance_profile.paths.sub_app_item
    requests = {
        "item": (prefix + item.format(item_id=MARKER_ITEM), 200),
        "unknown route": (f"{prefix}/conformance-no-such-route", 404),
        "invalid id": (
            prefix + item.format(item_id="not-a-number"),
            conformance_profile.errors.validation_status,
        ),
    }
    # VER-04 judges the envelope itself (ERR-07 leaves these answers to it)
    with signed_in(target, conformance_profile, envelope_judged=True) as client:
        for what, (path, status) in requests.items():
            request_id = f"ver04-{index}-{what.replace(' ', '-')}"
            response = client.get(path, headers={header: request_id})
            if response.status_code != status:
                mismatch(f"{prefix}: {what} (VER-04)", f"status {status}", response)
            assert_security_headers(response)
            if response.headers.get(header) != request_id:
                mismatch(f"{prefix}: {header} not echoed (VER-04)", request_id, response)
            if status >= 400:
                assert_envelope(response, conformance_profile.envelope)
