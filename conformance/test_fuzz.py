"""FUZZ — schemathesis runs with our checks (SPEC.md, design card "schemathesis fuzzing runs").

One run per module: schemathesis generates cases from the target's own OpenAPI document
(fixed seed, ``--fuzz-examples`` per operation and generation mode), the suite sends them
through its target client (in-process, served or URL alike) and judges every answer with
schemathesis's built-in checks and ours. Each check below reports the failures filed
under its ID: the schemathesis check that failed, the message, and a curl line.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from pytest_conformance import DocumentUnavailable, Profile, ResponseWatch, Target, check
from pytest_conformance.settings import fuzz_examples

if TYPE_CHECKING:
    from conformance.fuzzing.runner import FuzzRun

REF = "design card: schemathesis fuzzing runs"
SHOWN = 5


def _document(watch: ResponseWatch) -> dict[str, Any]:
    """The run's one copy of the target's document: fetched and indexed once by the plugin."""
    try:
        return dict(watch.document().source)
    except DocumentUnavailable as error:
        pytest.fail(f"the OpenAPI document to fuzz from: {error}", pytrace=False)


@contextlib.contextmanager
def _plain_imports() -> Iterator[None]:
    """Import schemathesis and hypothesis as they are, without pytest's assertion rewriting.

    pytest rewrites every module of a distribution that registers a pytest plugin (both
    do): hundreds of modules, seconds per run where bytecode is not cached. Their asserts
    are not our checks, so the fuzz run imports them plain.
    """
    hooks = [
        finder for finder in sys.meta_path if type(finder).__name__ == "AssertionRewritingHook"
    ]
    for hook in hooks:
        sys.meta_path.remove(hook)
    try:
        yield
    finally:
        sys.meta_path[:0] = hooks


@pytest.fixture(scope="module")
def fuzz_run(
    target: Target,
    conformance_profile: Profile,
    pytestconfig: pytest.Config,
    response_watch: ResponseWatch,
) -> FuzzRun:
    """The module's one fuzz run (stateless, then stateful), shared by the FUZZ checks."""
    if not getattr(conformance_profile.capabilities, "openapi", True):
        pytest.skip("the profile says the target serves no OpenAPI document ('openapi')")
    fuzz = conformance_profile.fuzz
    chosen = fuzz_examples(pytestconfig)
    examples = fuzz.examples if chosen is None else chosen
    if examples == 0:
        pytest.skip("fuzzing turned off (--fuzz-examples=0 or [fuzz] examples = 0)")
    stateful = fuzz.stateful_examples or max(1, examples // 2)
    document = _document(response_watch)
    with _plain_imports():
        pytest.importorskip("schemathesis", reason="fuzzing needs the 'fuzz' extra (schemathesis)")
        from conformance.fuzzing.runner import Fuzzer  # schemathesis loads only when fuzzing

        run = Fuzzer(target, conformance_profile, document).run(examples, stateful, fuzz.seed)
    _tell(pytestconfig, run)
    return run


def _tell(config: pytest.Config, run: FuzzRun) -> None:
    """One line in the terminal: how much was fuzzed (the JSON report has the outcomes)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    stats = run.stats
    if reporter is None:
        return
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        reporter.write_line(
            f"fuzz: {stats.cases} requests ({stats.stateful_steps} in stateful sequences, "
            f"{stats.probes} consistency probes) on {stats.operations} operations in "
            f"{stats.seconds:.1f} s ({stats.cases_per_second:.0f}/s), seed {run.seed}"
        )


def _assert_clean(run: FuzzRun, fuzz_id: str, what: str) -> None:
    __tracebackhide__ = True
    stats = run.stats
    if stats.cases == 0:
        raise AssertionError(f"{fuzz_id}: no case was generated ({'; '.join(stats.errors)})")
    findings = run.findings.of(fuzz_id)
    if not findings:
        return
    shown = "\n\n".join(finding.describe() for finding in findings[:SHOWN])
    more = f"\n\n… and {len(findings) - SHOWN} more" if len(findings) > SHOWN else ""
    raise AssertionError(
        f"{fuzz_id}: {what} — {len(findings)} failing operation(s) and check(s) in "
        f"{stats.cases} generated requests (seed {run.seed}):\n\n{shown}{more}"
    )


@check("FUZZ-01", "no generated request, valid or invalid, gets a 5xx answer", ref=REF)
def test_no_server_error(fuzz_run: FuzzRun) -> None:
    _assert_clean(fuzz_run, "FUZZ-01", "server errors")


@check("FUZZ-02", "every generated answer conforms to the OpenAPI document", ref=REF)
def test_answers_match_document(fuzz_run: FuzzRun) -> None:
    _assert_clean(fuzz_run, "FUZZ-02", "answers the document does not describe")


@check("FUZZ-03", "our assertions hold on every generated answer", ref=REF + "; Ex 51, 42, 49, 30")
def test_our_assertions_hold(fuzz_run: FuzzRun) -> None:
    _assert_clean(fuzz_run, "FUZZ-03", "envelope, headers, request id, challenge or secrets")


@check("FUZZ-04", "invalid input is rejected with a 4xx, valid input is accepted", ref=REF)
def test_input_validation_matches_document(fuzz_run: FuzzRun) -> None:
    _assert_clean(fuzz_run, "FUZZ-04", "validation that differs from the document")


@check("FUZZ-05", "stateful sequences keep resources consistent", ref=REF)
def test_stateful_sequences(fuzz_run: FuzzRun) -> None:
    if fuzz_run.stats.probes == 0 and not fuzz_run.findings.of("FUZZ-05"):
        pytest.skip("no generated create answered with a Location and no delete succeeded")
    _assert_clean(fuzz_run, "FUZZ-05", "resources not kept consistent")
