"""The run-wide findings (OAS-06, LIFE-02, ERR-07) as test items of their own.

Why real collected items, and why the xdist controller reports them:

* Each finding ID is a collected item, ``conformance/findings::OAS-06``, appended after
  every check. So ``-k OAS-06``, ``-m oas`` and ``--deselect`` choose them like any check,
  ``--collect-only`` lists them, and a run that deselects them reports none.
* Without xdist the items run last in the one process, after every check received its
  answers; their protocol (``pytest_runtest_protocol``) reports one test per finding —
  ``conformance/findings::OAS-06[GET /users/ 401 status not declared]`` — with how often
  it was seen and one example, through the ordinary report hooks: the terminal, JUnit,
  the per-area table and the JSON, HTML and SARIF reports all see them. With no finding,
  the item passes when answers were judged and is skipped with the reason otherwise.
* Under xdist no worker sees the whole run, and the item would run on one worker while
  the other still receives answers. The workers therefore drop the items after selection
  (all alike, so their collections agree), and hand the controller which IDs were selected
  and their ledgers (``workeroutput``). The controller merges the ledgers once every
  worker is down and reports exactly as a single process does: each finding once, its
  counts summed, whichever worker saw it.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterable
from typing import Any

import pytest

from pytest_conformance.identity import info_of
from pytest_conformance.observation.findings import (
    ENVELOPE,
    FINDING_IDS,
    OAS,
    SECRETS,
    Ledger,
    Sighting,
    envelope_findings,
)
from pytest_conformance.observation.response_validation import TITLES
from pytest_conformance.observation.response_watch import ResponseWatch
from pytest_conformance.observation.secret_search import configured_secrets
from pytest_conformance.profile.sections import Profile

MODULE = "conformance/findings"
MARKER = "conformance_findings"  # ``-m "not conformance_findings"`` leaves them out
TITLES_AND_REFS = {
    OAS: (TITLES[OAS], "SPEC.md OAS-06; Ex 53"),
    SECRETS: (TITLES[SECRETS], "SPEC.md LIFE-02"),
    ENVELOPE: ("every error answer of the run has one envelope shape", "SPEC.md ERR-07 (ANY)"),
}
SELECTED = "conformance_findings_selected"
LEDGER = "conformance_findings_ledger"


class FindingsItem(pytest.Item):
    """The findings of one ID over the whole run (its protocol is ``FindingsPlugin``'s)."""

    def __init__(self, *, check_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check_id = check_id
        self.add_marker(check_id.split("-", 1)[0].lower())
        self.add_marker(MARKER)

    def runtest(self) -> None:  # pragma: no cover - the plugin's protocol reports instead
        raise NotImplementedError

    def reportinfo(self) -> tuple[str, int | None, str]:
        return MODULE, None, self.name


class FindingsPlugin:
    """Collects the findings items, runs them (one process) or reports for the workers."""

    def __init__(self, config: pytest.Config, watch: ResponseWatch) -> None:
        config.addinivalue_line("markers", f"{MARKER}: the run-wide findings of an ID")
        self.config = config
        self.watch = watch
        self.merged = Ledger()  # the controller's: every worker's ledger
        self.selected: set[str] = set()

    @property
    def _worker(self) -> bool:
        return hasattr(self.config, "workerinput")

    @property
    def _controller(self) -> bool:
        return self.config.pluginmanager.has_plugin("dsession")

    @pytest.hookimpl(wrapper=True)
    def pytest_collection_modifyitems(
        self, session: pytest.Session, items: list[Any]
    ) -> Generator[None, None, None]:
        """One item per finding ID after the checks, before ``-k`` / ``-m`` choose; once
        they chose, remember which were selected (a worker leaves them to the controller)."""
        if any(info_of(item) for item in items):
            added: list[pytest.Item | pytest.Collector] = [
                FindingsItem.from_parent(
                    session, name=check_id, nodeid=f"{MODULE}::{check_id}", check_id=check_id
                )
                for check_id in FINDING_IDS
            ]
            items += added
            # counted as collected, as a module's items are (the terminal's "collected N")
            report = pytest.CollectReport(MODULE, "passed", None, added)
            session.ihook.pytest_collectreport(report=report)
        result = yield
        self.selected = {item.check_id for item in items if isinstance(item, FindingsItem)}
        if self._worker:
            items[:] = [item for item in items if not isinstance(item, FindingsItem)]
        return result

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> bool | None:
        if not isinstance(item, FindingsItem):
            return None
        tests = report_findings(self.config, item.check_id, self.watch.ledger, self.watch.profile)
        _count(item.session, tests - 1)  # the item itself was counted when collected
        return True

    def pytest_sessionfinish(self) -> None:
        if self._worker:
            output: dict[str, Any] = self.config.workeroutput  # type: ignore[attr-defined]
            output[SELECTED] = sorted(self.selected)
            output[LEDGER] = self.watch.ledger.to_data()

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        output = getattr(node, "workeroutput", None) or {}
        self.selected.update(output.get(SELECTED, ()))
        if LEDGER in output:
            self.merged.merge(output[LEDGER])

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Generator[None, object, object]:
        result = yield
        if self._controller:
            for check_id in FINDING_IDS:
                if check_id in self.selected:
                    tests = report_findings(self.config, check_id, self.merged, self.watch.profile)
                    _count(session, tests)  # the workers dropped the items
        return result


def _declared_envelope(profile: Profile) -> str | None:
    """The style the profile declares: its ``envelope`` key, or the tutorial's contract."""
    if "envelope" in profile.model_fields_set or profile.contract == "tutorial":
        return profile.envelope
    return None


def _not_judged(check_id: str, ledger: Ledger, profile: Profile) -> str | None:
    """Why ``check_id`` judged nothing in this run (None: it judged some answers)."""
    if check_id == OAS:
        if not profile.capabilities.openapi:
            return "the profile says the target serves no OpenAPI document ([capabilities])"
        if not profile.openapi.validate_responses:
            return "response validation is off ([openapi] validate_responses = false)"
        if OAS in ledger.problems and not ledger.looked[OAS]:
            return ledger.problems[OAS].splitlines()[0]
    if check_id == SECRETS and not ledger.looked[SECRETS] and not configured_secrets(profile):
        return "the profile gives no secrets to search for (secrets, [jwt] secret)"
    if check_id == ENVELOPE and not ledger.looked[ENVELOPE]:
        return "no error answer with a body was received in this run"
    if not ledger.looked[check_id]:
        return "no answer of the target was judged in this run"
    return None


def findings_of(check_id: str, ledger: Ledger, profile: Profile) -> list[Sighting]:
    if check_id == ENVELOPE:
        return envelope_findings(ledger.of(ENVELOPE), _declared_envelope(profile))
    return ledger.of(check_id)


def _count(session: pytest.Session, tests: int) -> None:
    """Tests reported beyond those collected, so that the progress ends at 100 %."""
    session.testscollected += tests


def report_findings(config: pytest.Config, check_id: str, ledger: Ledger, profile: Profile) -> int:
    """One test report per finding of ``check_id``; one passing or skipped without any.
    Returns how many tests it reported."""
    base = f"{MODULE}::{check_id}"
    reason = _not_judged(check_id, ledger, profile)
    if reason is not None:
        _emit(config, base, check_id, "skipped", f"Skipped: {reason}", [])
        return 1
    found = findings_of(check_id, ledger, profile)
    if not found:
        looked = ledger.looked[check_id]
        _emit(config, base, check_id, "passed", None, [("conformance_judged", looked)])
        return 1
    for finding in sorted(found, key=lambda f: (f.operation, f.status, f.kind)):
        nodeid = f"{base}[{finding.operation} {finding.status} {finding.kind}]"
        times = "once" if finding.count == 1 else f"{finding.count} times"
        text = f"{finding.message}\n  seen:     {times} in this run"
        properties: list[tuple[str, object]] = [
            ("conformance_operation", finding.operation),
            ("conformance_status", finding.status),
            ("conformance_kind", finding.kind),
            ("conformance_count", finding.count),
        ]
        example = {
            **finding.example,
            "what": text.splitlines()[0],
            "expected": _field(finding.message, "expected") or finding.example.get("expected"),
            "hint": f"seen {times} in this run; one example is shown",
        }
        _emit(config, nodeid, check_id, "failed", text, properties, example)
    return len(found)


def _field(message: str, name: str) -> str | None:
    """The ``  name: value`` line of a rendered message."""
    for line in message.splitlines():
        if line.strip().startswith(f"{name}:"):
            return line.split(":", 1)[1].strip()
    return None


def _emit(
    config: pytest.Config,
    nodeid: str,
    check_id: str,
    outcome: str,
    text: str | None,
    properties: Iterable[tuple[str, object]],
    failure: dict[str, Any] | None = None,
) -> None:
    """A test's reports through the ordinary hooks (terminal, JUnit, the recorder)."""
    title, ref = TITLES_AND_REFS[check_id]
    area = check_id.split("-", 1)[0]
    location = (MODULE, None, nodeid.split("::", 1)[1])
    extra: dict[str, Any] = {
        "conformance_id": check_id,
        "conformance_area": area,
        "conformance_title": title,
        "conformance_ref": ref,
        "conformance_level": "contract",
    }
    keywords: dict[str, Any] = {check_id: 1, area.lower(): 1, "findings": 1}
    hook = config.hook
    hook.pytest_runtest_logstart(nodeid=nodeid, location=location)
    now = time.time()
    phases: list[tuple[str, str, Any]]
    if outcome == "skipped":
        skipped = (nodeid, None, text)  # "SKIPPED [1] conformance/findings::OAS-06: why"
        phases = [("setup", "skipped", skipped), ("teardown", "passed", None)]
    else:
        phases = [
            ("setup", "passed", None),
            ("call", outcome, text),
            ("teardown", "passed", None),
        ]
    for when, phase_outcome, longrepr in phases:
        report = pytest.TestReport(
            nodeid,
            location,
            keywords,
            phase_outcome,  # type: ignore[arg-type]
            longrepr,
            when,  # type: ignore[arg-type]
            start=now,
            stop=now,
            user_properties=list(properties),
            **extra,
        )
        if when == "call" and failure is not None:
            report.conformance_failure = failure  # type: ignore[attr-defined]
        hook.pytest_runtest_logreport(report=report)
    hook.pytest_runtest_logfinish(nodeid=nodeid, location=location)
