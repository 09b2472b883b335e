"""The catalogue stays honest: IDs real and in the right area, mutants proving each check."""

from __future__ import annotations

import pytest

from tests import catalogue
from tests.test_mutants import MUTANTS, _declared


def test_spec_copy_matches_shared_spec() -> None:
    if not catalogue.SHARED_SPEC.exists():
        pytest.skip("no ../shared/SPEC.md beside this checkout to compare with")
    assert catalogue.SPEC_COPY.read_text() == catalogue.SHARED_SPEC.read_text(), (
        "docs/SPEC.md differs from ../shared/SPEC.md: copy the contract over"
    )


def test_spec_ids_are_found() -> None:
    ids = catalogue.spec_ids()
    assert "ERR-01" in ids and "MW-06" in ids and "FUZZ-05" in ids
    assert len(ids) == len(set(ids))


def test_every_check_names_a_spec_id_of_its_module_area() -> None:
    known = set(catalogue.spec_ids())
    problems = []
    for module, function, info in catalogue.checks():
        if info.id not in known:
            problems.append(f"{module}.{function}: {info.id} is not in SPEC.md")
        if module != f"test_{info.area.lower()}":
            problems.append(f"{module}.{function}: {info.id} belongs in test_{info.area.lower()}")
    assert not problems, "\n".join(problems)


def test_every_checked_id_has_a_mutant_only_its_checks_catch() -> None:
    checked = catalogue.checked_ids()
    proven = set()
    for name in MUTANTS:
        caught_by, _ = _declared(name)
        if len(caught_by) == 1:
            proven |= caught_by
    assert checked - proven == set(), f"checked IDs without their own mutant: {checked - proven}"


def test_mutants_name_checked_ids() -> None:
    checked = catalogue.checked_ids()
    for name in MUTANTS:
        caught_by, _ = _declared(name)
        assert caught_by <= checked, f"{name} expects IDs no check has: {caught_by - checked}"


def test_coverage_of_spec() -> None:
    """Every SPEC ID has a check, or (when HTTP cannot observe it) a named project test."""
    checked = catalogue.checked_ids()
    proven = set(catalogue.PROVEN_BY_PROJECT_TESTS)
    pending = set(catalogue.PENDING)
    missing = [
        spec_id for spec_id in catalogue.spec_ids() if spec_id not in checked | proven | pending
    ]
    assert not missing, f"{len(missing)} SPEC IDs have no check: {', '.join(missing)}"
    landed = sorted(pending & (checked | proven))
    assert not landed, f"these IDs have a check now: take them off catalogue.PENDING: {landed}"
    assert pending <= set(catalogue.spec_ids()), "catalogue.PENDING names IDs SPEC.md lacks"


def test_project_proofs_exist() -> None:
    absent = [
        f"{spec_id}: {node}"
        for spec_id, nodes in catalogue.PROVEN_BY_PROJECT_TESTS.items()
        for node in nodes
        if not catalogue.project_test_exists(node)
    ]
    assert not absent, "proofs named in catalogue.PROVEN_BY_PROJECT_TESTS do not exist:\n" + (
        "\n".join(absent)
    )
    assert set(catalogue.PROVEN_BY_PROJECT_TESTS) <= set(catalogue.spec_ids())


def test_readme_states_the_current_coverage() -> None:
    """README's coverage table is the catalogue's, not a number someone forgot to update."""
    checked = catalogue.checked_ids()
    spec = catalogue.spec_ids()
    single = sum(1 for name in MUTANTS if len(_declared(name)[0]) == 1)
    readme = (catalogue.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    expected = [
        f"| SPEC IDs with a check | {len(checked & set(spec))} / {len(spec)} |",
        f"| SPEC IDs proven by a project test instead | {len(catalogue.PROVEN_BY_PROJECT_TESTS)}"
        f" / {len(spec)} |",
        f"| SPEC IDs pending (their check has not landed) | {len(catalogue.PENDING)}"
        f" / {len(spec)} |",
        f"| mutants caught by exactly their declared IDs | {len(MUTANTS)} / {len(MUTANTS)} |",
        f"| mutants caught by one ID only | {single} |",
    ]
    stale = [line for line in expected if line not in readme]
    assert not stale, "README.md's coverage table should read:\n" + "\n".join(stale)
