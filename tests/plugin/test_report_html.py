"""--conformance-html writes one self-contained page that renders in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from plugin_testing import run_inline
from report_checks import CHECKS

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
BROWSER_TIMEOUT = 120


def _page(pytester: pytest.Pytester) -> tuple[Path, str]:
    pytester.makepyfile(test_checks=CHECKS)
    path = pytester.path / "out" / "conformance.html"
    result = run_inline(pytester, "--target-url=http://127.0.0.1:9", f"--conformance-html={path}")
    result.assert_outcomes(passed=1, failed=2, skipped=1, xfailed=1)
    return path, path.read_text(encoding="utf-8")


def test_the_page_is_self_contained_and_groups_findings(pytester: pytest.Pytester) -> None:
    _, page = _page(pytester)
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)  # nothing fetched
    assert "url(" not in page
    assert "<svg" in page
    assert page.count('class="cell"') == 5  # five areas, one outcome each
    for outcome in ("passed", "failed", "not applicable", "skipped", "strict notes"):
        assert outcome in page
    operation = page.index("<h3>GET /items/42</h3>")
    assert operation < page.index("a 404 with code NOT_FOUND") < page.index("<h3>GET /token</h3>")
    assert "Cache-Control: no-store" in page
    assert "RFC 6749 §5.1" in page
    assert "<h3>no single operation</h3>" in page  # a plain assert names no request
    assert "&lt;b&gt;not markup&lt;/b&gt;" in page  # escaped


def test_the_matrix_renders_in_headless_chromium(
    pytester: pytest.Pytester, tmp_path_factory: pytest.TempPathFactory
) -> None:
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        pytest.skip(f"no headless browser on PATH (tried {', '.join(BROWSERS)})")
    path, _ = _page(pytester)
    screenshot = pytester.path / "conformance.png"
    run = [browser, *BROWSER_FLAGS, "--window-size=1200,1400"]
    shot = subprocess.run(
        [*run, f"--user-data-dir={tmp_path_factory.mktemp('profile')}",
         f"--screenshot={screenshot}", path.as_uri()],
        capture_output=True, text=True, timeout=BROWSER_TIMEOUT, check=False,
    )  # fmt: skip
    assert screenshot.is_file(), shot.stderr[-2000:]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 10_000  # a drawn page, not a blank one
    dom = subprocess.run(
        [*run, f"--user-data-dir={tmp_path_factory.mktemp('profile')}",
         "--virtual-time-budget=2000", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=BROWSER_TIMEOUT, check=False,
    )  # fmt: skip
    assert 'data-rendered="5"' in dom.stdout, dom.stderr[-2000:]  # the script ran on the matrix
    assert "5 checks shown" in dom.stdout
    keep = Path(__file__).resolve().parent.parent.parent / ".screenshots"
    if keep.is_dir():  # a developer's place to look at it (git-ignored)
        shutil.copy(screenshot, keep / "conformance-report.png")


def test_not_applicable_is_its_own_outcome_in_the_matrix() -> None:
    """Issue 14's outcome: drawn and counted apart, never a finding."""
    from pytest_conformance.report.html import render_html
    from pytest_conformance.report.results import CheckResult, Results
    from pytest_conformance.report.sarif import to_sarif

    results = Results()
    for n, outcome in enumerate(("passed", "not_applicable", "not_applicable")):
        results.checks[f"n{n}"] = CheckResult(
            f"DATA-0{n + 1}", "DATA", "t", "Ex 1", "contract", f"n{n}", outcome
        )
    page = render_html(results, {"target": None, "profile": "SPEC.md defaults", "strict": False})
    assert page.count('data-outcome="not_applicable"') == 1 + 2  # one bar segment, two rows
    assert "2 not applicable" in page
    assert to_sarif(results, {})["runs"][0]["results"] == []
