"""DI — dependency behaviour seen over HTTP (SPEC.md, tutorial Examples 28, 29, 39, 52)."""

from __future__ import annotations

import importlib
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from pytest_conformance import Profile, Target, check, require
from pytest_conformance.report.failure import ConformanceFailure
from pytest_conformance.target_model import DeclaredOperation, TargetModel

from conformance.assertions.describe import mismatch
from conformance.assertions.envelope import json_body
from conformance.authorized import signed_in
from conformance.operation_calls import Unbuildable, credentials_for, representative_call
from conformance.session import bearer, login

FAILING_REQUESTS = 3
COUNTERS = ("open_db_sessions", "open_http_sessions", "active_streams")
OVERRIDE_STATUS = 418


@check("DI-01", "one connection serves both repositories of a request", ref="Ex 29, 52")
def test_repositories_share_a_session(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        require(conformance_profile, "user_orders")
        response = client.get(conformance_profile.paths.user_orders.format(user_id=7))
        expected = {
            "user_id": 7,
            "user_repo": "UserRepo",
            "order_repo": "OrderRepo",
            "same_db": True,
        }
        if response.status_code != 200 or json_body(response, "user orders") != expected:
            mismatch(
                "the repositories of one request",
                f"200 {expected}",
                response,
                hint="same_db false: the dependency was not cached within the request",
            )


def _counters(client: httpx.Client, profile: Profile, token: str) -> dict[str, int]:
    __tracebackhide__ = True
    response = client.get(profile.paths.diagnostics, headers=bearer(token, profile))
    body = json_body(response, "diagnostics") if response.status_code == 200 else {}
    if response.status_code != 200 or not all(isinstance(body.get(key), int) for key in COUNTERS):
        mismatch(
            "the admin's diagnostics",
            "200 {" + ", ".join(f'"{k}": int' for k in COUNTERS) + "}",
            response,
        )
    return {key: body[key] for key in COUNTERS}


@check(
    "DI-02",
    "teardown runs after every request, failed ones too",
    ref="Ex 39, 52",
    needs=("diagnostics", "server_error_trigger"),
)
def test_teardown_after_failures(target: Target, conformance_profile: Profile) -> None:
    with signed_in(target, conformance_profile) as client:
        token = login(client, conformance_profile, "admin")
        baseline = _counters(client, conformance_profile, token)
        for _ in range(FAILING_REQUESTS):
            response = client.get(conformance_profile.paths.server_error)
            if response.status_code != 500:
                mismatch("the failing request", "status 500", response)
            if conformance_profile.capabilities.external_data:
                response = client.get(conformance_profile.paths.external_data)
                if response.status_code != 200:
                    mismatch("GET external data", "status 200", response)
        # Other requests may be in flight meanwhile: wait (bounded) for the counts to settle.
        deadline = time.monotonic() + conformance_profile.timeouts.request
        while True:
            now = _counters(client, conformance_profile, token)
            leaked = {key: now[key] - baseline[key] for key in COUNTERS if now[key] > baseline[key]}
            if not leaked or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        if leaked:
            pytest.fail(
                f"DI-02: after {FAILING_REQUESTS} failing requests (and external-data "
                f"calls) resources stayed open: {leaked} (before {baseline}, after {now})"
            )


def _import_dependency(name: str, kind: str) -> Callable[..., Any]:
    """``package.module:function`` from the profile: the dependency object itself."""
    module_name, _, attribute = name.partition(":")
    try:
        found: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError) as error:
        pytest.fail(
            f"DI-03: profile [dependencies] {kind} names {name!r}, which cannot be imported: "
            f"{type(error).__name__}: {error}"
        )
    if not callable(found):
        pytest.fail(f"DI-03: profile [dependencies] {kind} names {name!r}, which is not callable")
    return found  # type: ignore[no-any-return]


def _dependencies_named(app: Any, names: tuple[str, ...]) -> set[Callable[..., Any]]:
    """The app's dependency callables whose ``__name__`` is one of ``names``."""
    found: set[Callable[..., Any]] = set()
    routes: list[Any] = list(getattr(app, "routes", ()))
    dependants: list[Any] = []
    while routes:  # included routers may be kept whole (FastAPI >= 0.16x) or flattened
        route = routes.pop()
        if hasattr(route, "dependant"):
            dependants.append(route.dependant)
        nested = getattr(route, "original_router", route)
        if nested is not app:
            routes.extend(getattr(nested, "routes", ()))
    while dependants:
        dependant = dependants.pop()
        dependants.extend(dependant.dependencies)
        call = dependant.call
        if call is not None and getattr(call, "__name__", None) in names:
            found.add(call)
    return found


@pytest.fixture
def dependency_overrides(target: Target) -> Iterator[dict[Any, Any]]:
    """The in-process app's ``dependency_overrides``, restored after the check."""
    if target.mode != "app":
        pytest.skip(
            "dependency_overrides live in the app's own process; over HTTP the suite "
            "cannot set them (in-process targets only, --target-app)"
        )
    overrides = getattr(target.app, "dependency_overrides", None)
    if not isinstance(overrides, dict):
        pytest.skip(
            "the target app has no dependency_overrides: DI-03 overrides FastAPI dependencies "
            "(app.dependency_overrides), and this app is not a FastAPI app"
        )
    saved = dict(overrides)
    try:
        yield overrides
    finally:
        overrides.clear()
        overrides.update(saved)


@check("DI-03", "dependency_overrides of auth and database are honoured", ref="Ex 39")
@pytest.mark.parametrize("kind", ["auth", "database"])
def test_dependency_overrides(
    kind: str,
    dependency_overrides: dict[Any, Any],
    target: Target,
    conformance_profile: Profile,
) -> None:
    names: tuple[str, ...] = getattr(conformance_profile.dependencies, kind)
    imported = {_import_dependency(name, kind) for name in names if ":" in name}
    plain = tuple(name for name in names if ":" not in name)
    found = imported | _dependencies_named(target.app, plain)
    if not found:
        pytest.skip(
            f"no {kind} dependency named {' or '.join(names) or '(none)'} in the app's "
            "FastAPI dependency tree (the dependencies of its routes and routers, and theirs; "
            "the suite looks nowhere else): name yours in the profile, [dependencies] "
            f"{kind} = ['function_name'] or ['package.module:function']"
        )
    try:
        http_exception = importlib.import_module("starlette.exceptions").HTTPException
    except ImportError:
        pytest.skip("the target is not built on Starlette")
    marker = f"overridden by the conformance suite {uuid.uuid4().hex[:8]}"

    def refuse() -> None:
        raise http_exception(OVERRIDE_STATUS, marker)

    for dependency in found:
        dependency_overrides[dependency] = refuse
    paths = conformance_profile.paths
    path = paths.users_me if kind == "auth" else paths.item.format(item_id=1)
    with target.client(validate=False) as client:  # the 418 is the suite's own (OAS-06)
        response = client.get(path)
    if response.status_code != OVERRIDE_STATUS or marker not in response.text:
        mismatch(
            f"GET {path} with the {kind} dependency overridden",
            f"the override's {OVERRIDE_STATUS} '{marker}'",
            response,
        )


REPRESENTATIVE_GETS = 20  # DI-04: at most this many documented GETs are called by the check


def _representative_gets(model: TargetModel | None) -> list[DeclaredOperation]:
    """Documented GETs without path parameters (streams are read by STREAM-06)."""
    if model is None:
        return []
    streamed = {stream.operation.name for stream in model.streams}
    found = [
        operation
        for operation in model.operations
        if operation.method == "GET" and not operation.path_parameters
        and operation.name not in streamed
    ]  # fmt: skip
    return found[:REPRESENTATIVE_GETS]


@check(
    "DI-04",
    "no exception escapes the app after it answered a request the suite sent",
    ref="ANY; Ex 29",
)
def test_no_exception_after_answering(
    target: Target,
    client: httpx.Client,
    conformance_profile: Profile,
    request: pytest.FixtureRequest,
) -> None:
    """Calls the documented GETs without path parameters itself, then judges every
    exception the app raised after answering, in this check and in the run so far."""
    errors = target.app_errors
    if errors is None:
        pytest.skip(
            "DI-04: the app runs outside this process (a URL or a subprocess): "
            "its exceptions after answering cannot be seen"
        )
    try:
        model: TargetModel | None = request.getfixturevalue("declared_model")
    except pytest.skip.Exception:
        model = None  # no document: judge the run's traffic only
    for operation in _representative_gets(model):
        assert model is not None
        try:
            call = representative_call(model, operation)
            headers = credentials_for(client, conformance_profile, model, operation)
        except (Unbuildable, pytest.skip.Exception):
            continue
        call.send(client, headers).read()
    seen = errors.seen()
    if seen:
        raise ConformanceFailure(
            f"the app raised {len(seen)} exception(s) after answering (DI-04)",
            "no exception escapes the app once it answered",
            hint="\n".join(error.describe() for error in seen[:5])
            + "\na dependency's teardown (code after yield) that raises is the usual cause",
        )
