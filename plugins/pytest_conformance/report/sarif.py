"""The run as SARIF 2.1.0, for code-scanning dashboards.

One rule per check ID seen in the run (its title as the short description, its SPEC/RFC
reference as help), one result per finding: a failed check is an ``error``, a strict note a
``warning``. Each result points at the check's module (``conformance/test_auth.py``) and
names the operation it was about as a logical location.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import Any

from pytest_conformance.report.results import FINDINGS, CheckResult, Results, operation_of

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"failed": "error", "strict_note": "warning"}


def _version() -> str:
    try:
        return metadata.version("fastapi-conformance")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0"


def _rule(result: CheckResult) -> dict[str, Any]:
    reference = result.ref or "SPEC.md"
    return {
        "id": result.id,
        "name": result.id.replace("-", ""),
        "shortDescription": {"text": result.title or result.id},
        "fullDescription": {"text": f"{result.id} {result.title} ({result.level} level)"},
        "help": {
            "text": f"{result.id}: {result.title}. Reference: {reference}.",
            "markdown": f"**{result.id}** {result.title}\n\nReference: {reference} "
            f"(docs/SPEC.md, `{result.id}`)",
        },
        "defaultConfiguration": {"level": "warning" if result.level == "strict" else "error"},
        "properties": {"area": result.area, "level": result.level, "reference": reference},
    }


def _message(result: CheckResult) -> str:
    return (result.message or f"{result.id} {result.outcome}").strip() or result.id


def _result(result: CheckResult, index: int) -> dict[str, Any]:
    module = result.nodeid.split("::", 1)[0] or "conformance"
    operation = operation_of(result)
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": module}},
        "logicalLocations": [{"fullyQualifiedName": result.nodeid, "kind": "function"}],
    }
    if operation:
        location["logicalLocations"].append({"name": operation, "kind": "resource"})
    entry: dict[str, Any] = {
        "ruleId": result.id,
        "ruleIndex": index,
        "level": LEVELS[result.outcome],
        "message": {"text": _message(result)},
        "locations": [location],
        "partialFingerprints": {"conformanceNode/v1": f"{result.id}|{result.nodeid}"},
        "properties": {"outcome": result.outcome, "area": result.area},
    }
    if result.failure:
        entry["properties"]["failure"] = result.failure
    return entry


def to_sarif(results: Results, header: dict[str, Any]) -> dict[str, Any]:
    rules: dict[str, int] = {}
    described: list[dict[str, Any]] = []
    for result in sorted(results.checks.values(), key=lambda r: r.id):
        if result.id not in rules:
            rules[result.id] = len(described)
            described.append(_rule(result))
    findings = [
        _result(result, rules[result.id])
        for result in results.checks.values()
        if result.outcome in FINDINGS
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "fastapi-conformance",
                        "version": _version(),
                        "rules": described,
                    }
                },
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "properties": {key: value for key, value in header.items()},
                    }
                ],
                "results": findings,
            }
        ],
    }


def write_sarif(path: Path, results: Results, header: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_sarif(results, header), indent=2), encoding="utf-8")
