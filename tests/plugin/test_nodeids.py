"""Node ids and JUnit names of an installed check package omit where it is installed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from plugin_testing import run_inline

CHECKS = """
from pytest_conformance import check


@check("ERR-01", "an installed check", ref="Ex 51")
def test_installed():
    pass
"""


def _install(pytester: pytest.Pytester, site: str) -> None:
    package = pytester.path / site / "suite_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "test_area.py").write_text(CHECKS)
    pytester.syspathinsert(pytester.path / site)


@pytest.mark.parametrize(
    "site",
    [".venv/lib/python3.11/site-packages", "venv/lib/python3/dist-packages"],
)
def test_a_venv_inside_the_project_is_not_in_the_ids(pytester: pytest.Pytester, site: str) -> None:
    _install(pytester, site)
    junit = pytester.path / "junit.xml"
    result = run_inline(
        pytester, "--pyargs", "suite_pkg", "--target-url=http://127.0.0.1:9", "-v",
        f"--junitxml={junit}",
    )  # fmt: skip
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["suite_pkg/test_area.py::test_installed[[]ERR-01[]] PASSED*"])
    assert "site-packages" not in result.stdout.str()
    case = ET.parse(junit).getroot().find(".//testcase")
    assert case is not None
    assert case.get("classname") == "suite_pkg.test_area"


def test_a_package_outside_the_rootdir_is_named_from_its_package(
    pytester: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory
) -> None:
    site = tmp_path_factory.mktemp("elsewhere") / "site-packages"
    package = site / "suite_pkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "test_area.py").write_text(CHECKS)
    pytester.syspathinsert(site)
    result = run_inline(pytester, "--pyargs", "suite_pkg", "--target-url=http://127.0.0.1:9", "-v")
    result.stdout.fnmatch_lines(["suite_pkg/test_area.py::test_installed[[]ERR-01[]] PASSED*"])


def test_project_test_files_keep_their_rootdir_ids(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_local=CHECKS)
    result = run_inline(pytester, "--target-url=http://127.0.0.1:9", "-v")
    result.stdout.fnmatch_lines(["test_local.py::test_installed[[]ERR-01[]] PASSED*"])
