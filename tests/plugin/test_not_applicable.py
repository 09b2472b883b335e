"""contract = "none": a contract check on an endpoint the profile does not map is not applicable."""

from __future__ import annotations

import json

import pytest
from plugin_testing import run_inline

TARGET = "--target-url=http://127.0.0.1:9"

CHECKS = """
from pytest_conformance import check


@check("DATA-01", "reads the tutorial's items path", ref="Ex 20")
def test_items(conformance_profile):
    assert conformance_profile.paths.items


@check("DATA-02", "reads a path the profile maps", ref="Ex 20")
def test_mapped(conformance_profile):
    assert conformance_profile.paths.users_me == "/api/v1/users/me"


@check("ERR-03", "reads a message the profile does not give", ref="Ex 51")
def test_message(conformance_profile):
    assert conformance_profile.messages.validation == MESSAGE


@check("RBAC-02", "reads who logs in", ref="Ex 32")
def test_users(conformance_profile):
    assert conformance_profile.users == USERS
"""


def _report(pytester: pytest.Pytester, profile: str, **constants: object) -> dict[str, str]:
    source = CHECKS
    for name, value in constants.items():
        source = f"{name} = {value!r}\n" + source
    pytester.makepyfile(test_checks=source)
    pytester.makefile(".toml", profile=profile)
    path = pytester.path / "report.json"
    result = run_inline(pytester, TARGET, "--profile=profile.toml", f"--conformance-report={path}")
    document = json.loads(path.read_text(encoding="utf-8"))
    outcomes = {entry["id"]: entry["outcome"] for entry in document["checks"]}
    outcomes["table"] = "\n".join(result.outlines)
    outcomes["failed_ids"] = ",".join(document["failed_ids"])
    return outcomes


NONE = """
contract = "none"
[paths]
prefix = "/api/v1"
users_me = "/users/me"
"""


def test_unmapped_paths_are_not_applicable_and_counted_apart(pytester: pytest.Pytester) -> None:
    found = _report(pytester, NONE, MESSAGE="", USERS={})
    assert found["DATA-01"] == "not_applicable"
    assert found["DATA-02"] == "passed"  # the mapped path, with its prefix
    assert found["ERR-03"] == "passed"  # no tutorial wording: the message is not checked
    assert found["RBAC-02"] == "passed"  # and nobody logs in as the tutorial's alice
    assert found["failed_ids"] == ""
    lines = [line for line in found["table"].splitlines() if line.startswith("DATA")]
    assert lines and lines[0].split()[1:4] == ["1", "0", "1"]  # passed, failed, not applicable


def test_the_tutorial_contract_keeps_its_defaults(pytester: pytest.Pytester) -> None:
    profile = '[paths]\nusers_me = "/api/v1/users/me"\n'
    found = _report(pytester, profile, MESSAGE="Request validation failed", USERS=None)
    assert found["DATA-01"] == "passed"
    assert found["ERR-03"] == "passed"
    assert found["RBAC-02"] == "failed"  # the tutorial's users are there (USERS=None differs)
