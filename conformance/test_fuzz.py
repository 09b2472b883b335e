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
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from pytest_conformance import DocumentUnavailable, Profile, ResponseWatch, Target, check, require
from pytest_conformance.profile.settings import fuzz_examples

if TYPE_CHECKING:
    from conformance.fuzzing.runner import FuzzRun

REF = "design card: schemathesis fuzzing runs"
SHOWN = 5  # findings shown in the terminal per check; the JSON report keeps every one
Record = Callable[[str, object], None]


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
    require(conformance_profile, "openapi")
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
    """How much was fuzzed, what was spared, what was left behind (the JSON report has the
    outcomes, every finding, and every resource left behind)."""
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
        for line in _notes(run):
            reporter.write_line(f"fuzz: {line}")


def _notes(run: FuzzRun) -> list[str]:
    stats = run.stats
    notes = []
    if run.broken:
        notes.append(run.broken)
    if stats.retries:
        notes.append(f"{stats.retries} request(s) sent again on a fresh connection")
    if stats.spared:
        notes.append(
            f"{stats.spared} mutating request(s) not sent: they named the suite's accounts"
        )
    if stats.skipped_links:
        notes.append(f"{len(stats.skipped_links)} link(s) not followed: {stats.skipped_links[0]}")
    if stats.deleted or stats.left:
        notes.append(f"deleted {stats.deleted} resource(s) it created, left {len(stats.left)}")
    notes += [f"left behind: {line}" for line in stats.left[:SHOWN]]
    if len(stats.left) > SHOWN:
        notes.append(f"… and {len(stats.left) - SHOWN} more left behind (in the JSON report)")
    return notes


def _keep(record_property: Callable[[str, object], None], run: FuzzRun, fuzz_id: str) -> None:
    """Every finding of ``fuzz_id`` (and what the run left behind) into the JSON report."""
    record_property("conformance_findings", [f.as_dict() for f in run.findings.of(fuzz_id)])
    record_property("conformance_left_behind", list(run.stats.left))
    if run.stats.skipped_links:
        record_property("conformance_links_not_followed", list(run.stats.skipped_links))


def _assert_clean(run: FuzzRun, fuzz_id: str, what: str) -> None:
    __tracebackhide__ = True
    stats = run.stats
    findings = run.findings.of(fuzz_id)
    if stats.cases == 0 and not run.broken:
        raise AssertionError(f"{fuzz_id}: no case was generated ({'; '.join(stats.errors)})")
    if not findings and not run.broken:
        return
    broken = f"{fuzz_id}: {run.broken} — the run stopped early.\n\n" if run.broken else ""
    if not findings:
        raise AssertionError(f"{broken}{fuzz_id}: nothing found before it stopped")
    shown = "\n\n".join(finding.describe() for finding in findings[:SHOWN])
    more = (
        f"\n\n… and {len(findings) - SHOWN} more (every one in the JSON report)"
        if len(findings) > SHOWN
        else ""
    )
    raise AssertionError(
        f"{broken}{fuzz_id}: {what} — {len(findings)} finding(s) in "
        f"{stats.cases} generated requests (seed {run.seed}):\n\n{shown}{more}"
    )


@check("FUZZ-01", "no generated request, valid or invalid, gets a 5xx answer", ref=REF)
def test_no_server_error(fuzz_run: FuzzRun, record_property: Record) -> None:
    _keep(record_property, fuzz_run, "FUZZ-01")
    _assert_clean(fuzz_run, "FUZZ-01", "server errors")


@check("FUZZ-02", "every generated answer conforms to the OpenAPI document", ref=REF)
def test_answers_match_document(fuzz_run: FuzzRun, record_property: Record) -> None:
    _keep(record_property, fuzz_run, "FUZZ-02")
    _assert_clean(fuzz_run, "FUZZ-02", "answers the document does not describe")


@check("FUZZ-03", "our assertions hold on every generated answer", ref=REF + "; Ex 51, 42, 49, 30")
def test_our_assertions_hold(fuzz_run: FuzzRun, record_property: Record) -> None:
    _keep(record_property, fuzz_run, "FUZZ-03")
    _assert_clean(fuzz_run, "FUZZ-03", "envelope, headers, request id, challenge or secrets")


@check("FUZZ-04", "invalid input is rejected with a 4xx, valid input is accepted", ref=REF)
def test_input_validation_matches_document(fuzz_run: FuzzRun, record_property: Record) -> None:
    _keep(record_property, fuzz_run, "FUZZ-04")
    _assert_clean(fuzz_run, "FUZZ-04", "validation that differs from the document")


@check("FUZZ-05", "stateful sequences keep resources consistent", ref=REF)
def test_stateful_sequences(fuzz_run: FuzzRun, record_property: Record) -> None:
    _keep(record_property, fuzz_run, "FUZZ-05")
    if fuzz_run.stats.probes == 0 and not fuzz_run.findings.of("FUZZ-05") and not fuzz_run.broken:
        skipped = fuzz_run.stats.skipped_links
        if skipped:
            pytest.skip(f"no link could be followed; {len(skipped)} skipped, e.g. {skipped[0]}")
        pytest.skip("no generated create answered with a Location and no delete succeeded")
    _assert_clean(fuzz_run, "FUZZ-05", "resources not kept consistent")
