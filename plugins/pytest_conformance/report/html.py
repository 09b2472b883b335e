"""The run as one self-contained HTML page: the per-area matrix and every finding.

No network: CSS, JavaScript and the SVG matrix are inline. The matrix draws one bar per
area split by outcome (passed, failed, not applicable, skipped, strict notes); the findings
(failed checks and strict notes) are grouped by the operation they were about, each with
its request, expected, received and SPEC/RFC reference; area and outcome filters hide
what is not wanted. Rendered by Jinja2 with autoescaping.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pytest_conformance.report.results import FINDINGS, OUTCOMES, CheckResult, Results, operation_of

LABELS = {
    "passed": "passed",
    "failed": "failed",
    "not_applicable": "not applicable",
    "skipped": "skipped",
    "strict_note": "strict notes",
}
COLOURS = {
    "passed": "#2f9e44",
    "failed": "#e03131",
    "not_applicable": "#868e96",
    "skipped": "#f59f00",
    "strict_note": "#7048e8",
}
BAR_WIDTH = 560
ROW_HEIGHT = 30
LABEL_WIDTH = 90


@dataclass(frozen=True)
class Segment:
    outcome: str
    x: float
    width: float
    count: int


@dataclass(frozen=True)
class Row:
    area: str
    y: int
    total: int
    counts: dict[str, int]
    segments: list[Segment]


def _rows(table: dict[str, Counter[str]]) -> list[Row]:
    rows = []
    for index, (area, counts) in enumerate(table.items()):
        total = sum(counts.values())
        x = float(LABEL_WIDTH)
        segments = []
        for outcome in OUTCOMES:
            count = counts.get(outcome, 0)
            if count:
                width = BAR_WIDTH * count / total
                segments.append(Segment(outcome, x, width, count))
                x += width
        rows.append(
            Row(area, index * ROW_HEIGHT, total, {o: counts.get(o, 0) for o in OUTCOMES}, segments)
        )
    return rows


def _operations(results: Results) -> list[tuple[str, list[CheckResult]]]:
    groups: dict[str, list[CheckResult]] = {}
    for result in results.checks.values():
        if result.outcome in FINDINGS:
            operation = operation_of(result) or "no single operation"
            groups.setdefault(operation, []).append(result)
    ordered = sorted(groups.items(), key=lambda item: (item[0] == "no single operation", item[0]))
    return [(operation, sorted(found, key=lambda r: r.id)) for operation, found in ordered]


def render_html(results: Results, header: dict[str, Any]) -> str:
    import jinja2  # here: most runs write no HTML report, and the import costs every run

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("pytest_conformance.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    table = results.by_area()
    totals: Counter[str] = Counter()
    for counts in table.values():
        totals.update(counts)
    rows = _rows(table)
    return environment.get_template("report.html.j2").render(
        header=header,
        outcomes=OUTCOMES,
        labels=LABELS,
        colours=COLOURS,
        rows=rows,
        totals={o: totals.get(o, 0) for o in OUTCOMES},
        areas=list(table),
        operations=_operations(results),
        checks=sorted(results.checks.values(), key=lambda r: (r.area, r.id, r.nodeid)),
        bar_width=BAR_WIDTH,
        label_width=LABEL_WIDTH,
        row_height=ROW_HEIGHT,
        height=max(len(rows), 1) * ROW_HEIGHT,
    )


def write_html(path: Path, results: Results, header: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(results, header), encoding="utf-8")
