"""Per-check results, the per-area table at the end of the run, and the JSON report."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest

from pytest_conformance.profile.applicability import OUTCOME as OUTCOME_NOT_APPLICABLE
from pytest_conformance.profile.applicability import is_not_applicable

# "not_applicable": a contract check the profile does not map (DESIGN.md, contract = "none")
OUTCOMES = ("passed", "failed", OUTCOME_NOT_APPLICABLE, "skipped", "strict_note")
FINDINGS = ("failed", "strict_note")


@dataclass
class CheckResult:
    id: str
    area: str
    title: str
    ref: str
    level: str
    nodeid: str
    outcome: str = "passed"
    duration: float = 0.0
    message: str = ""
    # what a check keeps beyond its message: ``record_property("conformance_<name>", value)``
    details: dict[str, Any] = field(default_factory=dict)
    failure: dict[str, Any] | None = None  # ConformanceFailure's fields (failure.py)


@dataclass
class Results:
    checks: dict[str, CheckResult] = field(default_factory=dict)

    def record(self, report: pytest.TestReport) -> None:
        check_id = getattr(report, "conformance_id", None)
        if check_id is None:
            return
        result = self.checks.get(report.nodeid)
        if result is None:
            result = CheckResult(
                id=check_id,
                area=getattr(report, "conformance_area", ""),
                title=getattr(report, "conformance_title", ""),
                ref=getattr(report, "conformance_ref", ""),
                level=getattr(report, "conformance_level", "contract"),
                nodeid=report.nodeid,
            )
            self.checks[report.nodeid] = result
        result.duration += report.duration
        for name, value in report.user_properties:
            if name.startswith("conformance_"):
                result.details[name.removeprefix("conformance_")] = value
        outcome = _outcome(report)
        if outcome is None or result.outcome in ("failed", "strict_note"):
            return
        if outcome != "passed" or report.when == "call":
            result.outcome = outcome
            result.message = _message(report)
            result.failure = getattr(report, "conformance_failure", None)

    def by_area(self) -> dict[str, Counter[str]]:
        table: dict[str, Counter[str]] = {}
        for result in self.checks.values():
            table.setdefault(result.area, Counter())[result.outcome] += 1
        return dict(sorted(table.items()))

    def failed_ids(self) -> list[str]:
        return sorted({r.id for r in self.checks.values() if r.outcome == "failed"})

    def to_json(self, header: dict[str, Any]) -> str:
        document = {
            **header,
            "summary": {area: dict(counts) for area, counts in self.by_area().items()},
            "failed_ids": self.failed_ids(),
            "checks": [asdict(result) for result in self.checks.values()],
        }
        return json.dumps(document, indent=2)


def operation_of(result: CheckResult) -> str:
    """``METHOD /path`` of the request a finding is about ("" when it names none)."""
    request = (result.failure or {}).get("request") or {}
    if not request:
        return ""
    return f"{request.get('method', '')} {request.get('path', '')}".strip()


def _outcome(report: pytest.TestReport) -> str | None:
    if report.failed:
        return "failed"
    if report.skipped:
        if hasattr(report, "wasxfail"):
            return "strict_note"
        return OUTCOME_NOT_APPLICABLE if is_not_applicable(_message(report)) else "skipped"
    return "passed" if report.when == "call" else None


def _message(report: pytest.TestReport) -> str:
    if report.skipped:
        if hasattr(report, "wasxfail"):
            return str(report.wasxfail)
        longrepr = report.longrepr
        if isinstance(longrepr, tuple) and len(longrepr) == 3:
            return str(longrepr[2])
        return str(longrepr)
    if report.failed:
        return report.longreprtext[-4000:]
    return ""


def write_table(reporter: Any, results: Results) -> None:
    table = results.by_area()
    if not table:
        return
    reporter.write_sep("=", "conformance report")
    reporter.write_line(
        f"{'area':<10}{'passed':>8}{'failed':>8}{'not applicable':>16}{'skipped':>9}"
        f"{'strict notes':>14}"
    )
    totals: Counter[str] = Counter()
    for area, counts in table.items():
        totals.update(counts)
        reporter.write_line(_row(area, counts))
    reporter.write_line(_row("total", totals))
    failed = results.failed_ids()
    if failed:
        reporter.write_line(f"failed checks: {', '.join(failed)}", red=True)


def _row(area: str, counts: Counter[str]) -> str:
    return (
        f"{area:<10}{counts['passed']:>8}{counts['failed']:>8}"
        f"{counts[OUTCOME_NOT_APPLICABLE]:>16}{counts['skipped']:>9}{counts['strict_note']:>14}"
    )


def write_json(path: Path, results: Results, header: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(results.to_json(header), encoding="utf-8")
