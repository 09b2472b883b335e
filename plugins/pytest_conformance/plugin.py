"""The pytest11 entry point: options, fixtures, check identity, levels and the report."""

from __future__ import annotations

import functools
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any, NoReturn

import httpx
import pytest

from pytest_conformance import cases, long_lived
from pytest_conformance.identity import MARKER, CheckInfo, info_of
from pytest_conformance.observation.findings_items import FindingsItem, FindingsPlugin
from pytest_conformance.observation.hygiene import clean, unchain
from pytest_conformance.observation.response_watch import (
    WATCH_PLUGIN,
    DocumentUnavailable,
    ResponseWatch,
    WatchHooks,
)
from pytest_conformance.profile import gating, settings
from pytest_conformance.profile.applicability import not_applicable
from pytest_conformance.profile.sections import (
    Profile,
    ProfileError,
    ProfileSetting,
    with_found_paths,
)
from pytest_conformance.report import nodeids
from pytest_conformance.report.failure import ConformanceFailure, SetupFailure
from pytest_conformance.report.html import write_html
from pytest_conformance.report.results import Results, write_json, write_table
from pytest_conformance.report.sarif import write_sarif
from pytest_conformance.target_model import TargetModel, build_model
from pytest_conformance.targets.backends import start_backend
from pytest_conformance.targets.bounded import BodyTooLarge, TargetUnresponsive
from pytest_conformance.targets.in_process import TargetStartupError
from pytest_conformance.targets.loading import load_app
from pytest_conformance.targets.target import Target, TargetSpec

AREAS = {
    "err": "error envelope (ERR)",
    "mw": "middleware and request context (MW)",
    "auth": "OAuth2 password flow and JWT (AUTH)",
    "rbac": "roles (RBAC)",
    "val": "request models (VAL)",
    "data": "async CRUD and relations (DATA)",
    "page": "pagination (PAGE)",
    "rate": "rate limiting (RATE)",
    "di": "dependency behaviour (DI)",
    "cache": "caching (CACHE)",
    "stream": "streaming responses (STREAM)",
    "ws": "WebSockets (WS)",
    "life": "lifespan and configuration (LIFE)",
    "ver": "sub-applications and versioning (VER)",
    "oas": "the OpenAPI document (OAS)",
    "fuzz": "schemathesis runs (FUZZ)",
}

NOTE_LENGTH = 500  # a strict note's message (xfail reasons are one paragraph)

target_spec_key = pytest.StashKey[TargetSpec | None]()
profile_key = pytest.StashKey[settings.ProfileSetting]()
app_key = pytest.StashKey[Any]()
started_key = pytest.StashKey[Target]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("conformance", "conformance suite")
    for mode, meaning in (
        ("app", "module:app to import and test in-process"),
        ("url", "URL of a running server to test"),
        ("serve", "module:app to serve with uvicorn on a free loopback port and test"),
    ):
        group.addoption(f"--target-{mode}", dest=f"target_{mode}", metavar="TARGET", help=meaning)
        parser.addini(f"target_{mode}", f"default for --target-{mode}", default="")
    group.addoption(
        "--target-serve-in",
        dest="target_serve_in",
        metavar="thread|subprocess",
        help="where --target-serve runs uvicorn (default: thread)",
    )
    parser.addini("target_serve_in", "default for --target-serve-in", default="")
    group.addoption("--profile", dest="conformance_profile", metavar="PATH",
                    help="TOML profile describing the target (default: [tool.conformance] "
                         "in ./pyproject.toml, else SPEC.md's defaults)")  # fmt: skip
    parser.addini("conformance_profile", "default for --profile", default="")
    group.addoption(
        "--conformance-strict",
        dest="conformance_strict",
        action="store_true",
        default=None,
        help="fail the run on strict-level checks too (default: report them as notes)",
    )
    parser.addini("conformance_strict", "default for --conformance-strict", type="bool",
                  default=False)  # fmt: skip
    group.addoption(
        "--fuzz-examples",
        dest="fuzz_examples",
        metavar="N",
        help="fuzz area: cases per operation and generation mode (default: the profile's "
        "fuzz.examples, 2)",
    )
    parser.addini("fuzz_examples", "default for --fuzz-examples", default="")
    group.addoption(
        "--conformance-report",
        dest="conformance_report",
        metavar="PATH",
        help="write every check's ID, outcome, duration and message as JSON",
    )
    group.addoption(
        "--conformance-html",
        dest="conformance_html",
        metavar="PATH",
        help="write a self-contained HTML page: the per-area matrix and every finding",
    )
    group.addoption(
        "--conformance-sarif",
        dest="conformance_sarif",
        metavar="PATH",
        help="write the findings as SARIF 2.1.0 (one rule per check ID)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(info): a conformance check with its SPEC ID (set by @check)"
    )
    for area, meaning in AREAS.items():
        config.addinivalue_line("markers", f"{area}: conformance checks of {meaning}")
    long_lived.thaw_at_exit(config)
    config.stash[target_spec_key] = settings.resolve_target(config)
    try:
        config.stash[profile_key] = settings.resolve_profile(config)
    except ProfileError as error:
        raise pytest.UsageError(str(error)) from None
    settings.serve_in(config)
    settings.fuzz_examples(config)
    config.pluginmanager.register(nodeids, "conformance-nodeids")
    config.pluginmanager.register(_Recorder(config), "conformance-recorder")
    watch = ResponseWatch(config.stash[profile_key].profile)
    config.pluginmanager.register(WatchHooks(watch), WATCH_PLUGIN)
    config.pluginmanager.register(FindingsPlugin(config, watch), "conformance-findings")


def pytest_report_header(config: pytest.Config) -> list[str]:
    spec = config.stash.get(target_spec_key, None)
    profile = config.stash[profile_key]
    level = "strict" if settings.strict(config) else "contract (strict checks are notes)"
    target = spec.describe() if spec else "none named"
    return [
        f"conformance target: {target}",
        f"conformance profile: {profile.source}",
        f"conformance level: {level}",
    ]


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker(MARKER)
    if marker is not None and marker.args and isinstance(marker.args[0], CheckInfo):
        info = marker.args[0]
        metafunc.parametrize("conformance_check", [info], ids=[info.id])
        if cases.case_arguments(metafunc.fixturenames):
            cases.parametrize(metafunc, target_model(metafunc.config))


RUN_LAST = frozenset({"DI-04"})
# The fuzz area's generated requests may leave the target changed where its cleanup cannot
# reach (a create that stored a row, then answered 500): it runs after every other check,
# so none of them judges what the fuzz did; DI-04 still judges the whole run.
FUZZ_AREA = "FUZZ-"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not any(info_of(item) for item in items):
        return
    # a target that cannot be imported or started stops the run here, once collection is
    # done; an xdist worker stops at its first check instead (an exit or usage error while
    # a worker collects crashes xdist's controller)
    failed = config.stash.get(start_failure_key, None) or _app_failure(config)
    if failed is not None and not _in_xdist_worker(config):
        raise failed
    # the checks, then the fuzz area, the run-wide findings (of every answer, the fuzz's
    # too), and DI-04, which judges what the app raised during the run
    items.sort(key=_run_rank)  # stable: the order within each group stays as collected


def _run_rank(item: pytest.Item) -> int:
    if isinstance(item, FindingsItem):
        return 2
    info = info_of(item)
    if info is None:
        return 0
    return 3 if info.id in RUN_LAST else 1 if info.id.startswith(FUZZ_AREA) else 0


def pytest_collection_finish(session: pytest.Session) -> None:
    long_lived.freeze_after_collection(session.config, session.items)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a check's fixtures: skip it when the profile switches off what it needs (or
    it is not applicable), and fail it at once when the target was declared unresponsive."""
    info = info_of(item)
    if info is None:
        return
    _fill_from_model(item.config)
    if info.needs or info.uses:
        profile = item.config.stash[profile_key].profile
        gating.require(profile, *info.needs)
        gating.resolve_paths(profile, info.uses)
    cases.skip_without_cases(item)
    started = item.config.stash.get(started_key, None)
    if started is not None and started.health.cause:
        pytest.fail(started.health.cause, pytrace=False)


@pytest.fixture(autouse=True)
def conformance_check(request: pytest.FixtureRequest) -> CheckInfo | None:
    """The running check's identity (parametrized by the plugin for every @check)."""
    return getattr(request, "param", None)


@pytest.fixture(scope="session")
def conformance_profile(pytestconfig: pytest.Config) -> Profile:
    _fill_from_model(pytestconfig)
    return pytestconfig.stash[profile_key].profile


filled_key = pytest.StashKey[bool]()


def _fill_from_model(config: pytest.Config) -> None:
    """Under ``contract = "none"``, once per process: the ``[paths]`` keys the profile leaves
    unmapped and the document declares unambiguously (the OAuth2 password flow's token URL,
    the "me" operation) are taken from the target model, so the contract checks using them
    run instead of being not applicable."""
    if config.stash.get(filled_key, False):
        return
    config.stash[filled_key] = True
    setting = config.stash[profile_key]
    profile = setting.profile
    if profile.contract != "none" or not profile.capabilities.openapi:
        return
    if all(profile.paths.is_mapped(key) for key in FOUND_PATH_KEYS):
        return
    if config.stash[target_spec_key] is None:
        return
    model = target_model(config)
    if isinstance(model, TargetModel):
        filled = with_found_paths(profile, model.found_paths())
        config.stash[profile_key] = ProfileSetting(filled, setting.source)


FOUND_PATH_KEYS = ("token", "users_me")


@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config, request: pytest.FixtureRequest) -> Iterator[Target]:
    """The started target: lifespan startup before the first check, shutdown after the last."""
    try:
        started = start_target(pytestconfig)
    except pytest.fail.Exception:
        request.session.shouldstop = _reason(pytestconfig.stash[start_failure_key])  # xdist
        raise
    yield started
    started.close()


def start_target(config: pytest.Config) -> Target:
    """The session's target, started on first need: a check's fixture, or the collection of
    checks with a case per declared operation (which reads the target's document)."""
    started = config.stash.get(started_key, None)
    if started is not None:
        return started
    spec = config.stash[target_spec_key]
    failed = config.stash.get(start_failure_key, None) or _app_failure(config)
    if failed is not None:
        _stop_run(config, failed)
    assert spec is not None  # _app_failure said so
    profile = config.stash[profile_key].profile
    try:
        backend = start_backend(
            spec.mode,
            spec.value,
            load_app=functools.partial(_target_app, config),
            startup_timeout=profile.timeouts.startup,
            shutdown_timeout=profile.timeouts.shutdown,
            serve_in=settings.serve_in(config),
        )
    except TargetStartupError as error:
        failed = config.stash[start_failure_key] = pytest.exit.Exception(
            f"conformance target {spec.describe()} did not start: {error}",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
        _stop_run(config, failed)
    started = Target(spec, profile, backend)
    if started.warning:
        _warn(config, f"conformance warning: {started.warning}")
    started.model_reader = functools.partial(target_model, config)
    config.stash[started_key] = started
    config.add_cleanup(started.close)  # started while collecting: no fixture closes it
    _watch(config).attach(started)
    return started


def _in_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _app_failure(config: pytest.Config) -> BaseException | None:
    """Why the run has no target to start: none named, or an app that cannot be imported."""
    spec = config.stash[target_spec_key]
    failed: BaseException | None = None
    if spec is None:
        failed = pytest.UsageError(f"no conformance target: {settings.TARGET_FORMS}")
    elif spec.mode in ("app", "serve"):
        try:
            _target_app(config)
        except pytest.UsageError as error:
            failed = error
    if failed is not None:
        config.stash[start_failure_key] = failed
    return failed


def _reason(failure: BaseException) -> str:
    return str(failure.msg) if isinstance(failure, pytest.exit.Exception) else str(failure)


def _stop_run(config: pytest.Config, failure: BaseException) -> NoReturn:
    """End the run with ``failure`` (a usage error or an exit). In an xdist worker, whose
    exit would crash the controller, the check asking for the target errors instead, and
    the ``target`` fixture stops the worker as ``-x`` would: the controller ends the run
    with the same message."""
    if _in_xdist_worker(config):
        pytest.fail(_reason(failure), pytrace=False)
    raise failure


def _target_app(config: pytest.Config) -> Any:
    """The imported app of ``--target-app`` / ``--target-serve`` (imported once)."""
    app = config.stash.get(app_key, None)
    if app is None:
        spec = config.stash[target_spec_key]
        assert spec is not None and spec.mode in ("app", "serve")
        app = config.stash[app_key] = load_app(f"--target-{spec.mode}", spec.value)
    return app


def target_model(config: pytest.Config) -> TargetModel | str:
    """The target model, built once per process from the target's document; or why not."""
    found = config.stash.get(model_key, None)
    if found is None:
        profile = config.stash[profile_key].profile
        if not profile.capabilities.openapi:
            found = "the profile says the target serves no OpenAPI document ([capabilities])"
        else:
            try:
                start_target(config)
            except (pytest.exit.Exception, pytest.fail.Exception, pytest.UsageError):
                # not from inside another plugin's collection hook (schemathesis wraps
                # it): the run stops once collection is done
                reason = _reason(config.stash[start_failure_key])
                config.stash[model_key] = reason
                return reason
            try:
                found = build_model(_watch(config).document())
            except DocumentUnavailable as unavailable:
                found = f"the target's OpenAPI document cannot be read: {unavailable}"
        config.stash[model_key] = found
    return found


model_key = pytest.StashKey[TargetModel | str]()
start_failure_key = pytest.StashKey[BaseException]()


@pytest.fixture(scope="session")
def declared_model(pytestconfig: pytest.Config, target: Target) -> TargetModel:
    """What the target's document declares; not applicable without a usable document."""
    model = target_model(pytestconfig)
    if isinstance(model, str):
        not_applicable(model)
    return model


def _warn(config: pytest.Config, line: str) -> None:
    """One line in the terminal now, and again in the summary."""
    config.stash[warnings_key] = [*config.stash.get(warnings_key, []), line]
    terminal = config.pluginmanager.get_plugin("terminalreporter")
    if terminal is not None:
        terminal.write_line("")
        terminal.write_line(line, yellow=True)


warnings_key = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def response_watch(pytestconfig: pytest.Config, target: Target) -> ResponseWatch:
    """The session's response watch: the OpenAPI document (OAS-06) and the secrets (LIFE-02)."""
    return _watch(pytestconfig)


def _watch(config: pytest.Config) -> ResponseWatch:
    hooks = config.pluginmanager.get_plugin(WATCH_PLUGIN)
    assert isinstance(hooks, WatchHooks)
    return hooks.watch


@pytest.fixture
def client(target: Target) -> Iterator[httpx.Client]:
    """An HTTP client to the target with a client identity of this check's own."""
    with target.client() as http:
        yield http


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Every failure message of a check starts with the check's ID."""
    try:
        return (yield)
    except (AssertionError, pytest.fail.Exception) as error:
        info = info_of(item)
        if info is not None:
            _name_the_check(error, info)
        raise


def _name_the_check(error: BaseException, info: CheckInfo) -> None:
    if isinstance(error, ConformanceFailure):
        if not error.what.startswith(info.id):
            error.what = f"{info.id}: {error.what}"
            error.args = (error.render(),)
        return
    if isinstance(error, pytest.fail.Exception):
        if not (error.msg or "").startswith(info.id):
            error.msg = f"{info.id}: {error.msg or info.title}"
            error.args = (error.msg, *error.args[1:])
        return
    text = str(error)
    if not text.startswith(info.id):
        error.args = (f"{info.id}: {text}" if text else f"{info.id}: {info.title}",)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    if call.excinfo is not None:
        unchain(call.excinfo.value)
    report = yield
    info = info_of(item)
    if info is None:
        return report
    report.conformance_id = info.id  # type: ignore[attr-defined]
    report.conformance_area = info.area  # type: ignore[attr-defined]
    report.conformance_title = info.title  # type: ignore[attr-defined]
    report.conformance_ref = info.ref  # type: ignore[attr-defined]
    report.conformance_level = info.level  # type: ignore[attr-defined]
    if report.failed and call.excinfo is not None:
        _explain_network_failure(report, call, item, info)
        report.sections.append(
            (
                "conformance check",
                f"{info.id} {info.title}\nlevel: {info.level}\nsource: {info.ref}",
            )
        )
        error = call.excinfo.value
        failure = error if isinstance(error, ConformanceFailure) else None
        if failure is not None:
            report.conformance_failure = {  # type: ignore[attr-defined]
                **failure.as_dict(),
                "reference": failure.reference or info.ref,
            }
        # a hanging or unreachable target is a failure even in a strict check
        unreachable = isinstance(error, httpx.TransportError)
        strict_note = (
            info.level == "strict" and not settings.strict(item.config) and not unreachable
        )
        if strict_note and report.when == "call":
            report.outcome = "skipped"
            text = failure.excerpt(NOTE_LENGTH) if failure else call.excinfo.exconly()[:NOTE_LENGTH]
            report.wasxfail = f"strict note: {text}"
        elif isinstance(error, SetupFailure) and report.when == "call":
            # the check never reached what it judges: pytest's ERROR (terminal, JUnit), with
            # the answer the target gave instead; the table still counts it under its ID
            report.when = "setup"
    clean(report)
    return report


def _explain_network_failure(
    report: pytest.TestReport, call: pytest.CallInfo[None], item: pytest.Item, info: CheckInfo
) -> None:
    """A hanging or unreachable target fails with one clear line, not a transport traceback."""
    assert call.excinfo is not None
    error = call.excinfo.value
    profile = item.config.stash[profile_key].profile
    request = _request_of(error)
    where = f"{request.method} {request.url}" if request is not None else "a request"
    unresponsive = _in_chain(error, TargetUnresponsive)
    if unresponsive is not None:
        report.longrepr = str(unresponsive)
    elif isinstance(error, BodyTooLarge):
        report.longrepr = (
            f"{error}; hint: a conforming answer is small — if this one is legitimately "
            "large, raise limits.body in the profile"
        )
    elif isinstance(error, httpx.TimeoutException):
        report.longrepr = (
            f"{info.id}: the target did not answer {where} in time "
            f"({type(error).__name__}: {error}); "
            "a hanging target fails the check — if it is merely slow, raise timeouts.request "
            f"in the profile (now {profile.timeouts.request:g} s)"
        )
    elif isinstance(error, httpx.TransportError):
        report.longrepr = (
            f"{info.id}: could not talk to the target for {where}: {type(error).__name__}: {error}"
        )


def _in_chain(error: BaseException, kind: type[BaseException]) -> BaseException | None:
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None or isinstance(seen, kind):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _request_of(error: BaseException) -> httpx.Request | None:
    try:
        return error.request if isinstance(error, httpx.RequestError) else None
    except RuntimeError:  # httpx raises when the error carries no request
        return None


class _Recorder:
    """Collects check outcomes (also from xdist workers) and writes the table and the JSON."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.results = Results()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.results.record(report)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        write_table(terminalreporter, self.results)
        for line in self.config.stash.get(warnings_key, []):
            terminalreporter.write_line(line, yellow=True)
        started = self.config.stash.get(started_key, None)
        if started is not None and started.health.cause:
            terminalreporter.write_line(started.health.cause, red=True, bold=True)

    def pytest_sessionfinish(self) -> None:
        if hasattr(self.config, "workerinput"):
            return
        spec = self.config.stash.get(target_spec_key, None)
        header = {
            "target": spec.describe() if spec else None,
            "profile": self.config.stash[profile_key].source,
            "strict": settings.strict(self.config),
            "warnings": self.config.stash.get(warnings_key, []),
        }
        started = self.config.stash.get(started_key, None)
        if started is not None and started.health.cause:
            header["unresponsive"] = started.health.cause
        for option, write in REPORT_WRITERS.items():
            path = self.config.getoption(option, default=None)
            if path:
                write(Path(path), self.results, header)


REPORT_WRITERS = {
    "conformance_report": write_json,
    "conformance_html": write_html,
    "conformance_sarif": write_sarif,
}
