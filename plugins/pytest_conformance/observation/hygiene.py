"""What a hostile target sends never reaches the terminal raw, nor buries the message.

A failure report shows bodies the target chose; its control bytes (NUL, escape sequences,
bells) are written escaped (``\\x00``), so they neither garble the terminal nor hide text.
A check's failure message already says what went wrong, so the library exception it was
raised while handling (a ``JSONDecodeError`` under "the body is not JSON") is not chained
under it.
"""

from __future__ import annotations

import re

import pytest

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape_control(text: str) -> str:
    """``text`` with every control character but newline and tab written as ``\\xNN``."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def unchain(error: BaseException) -> None:
    """Drop the implicit context under a failure message (explicit causes stay)."""
    if isinstance(error, AssertionError | pytest.fail.Exception) and error.__cause__ is None:
        error.__suppress_context__ = True


def clean(report: pytest.TestReport) -> None:
    """Escape control characters in the report's text (failure, sections, strict note)."""
    if report.longrepr is not None and not isinstance(report.longrepr, tuple):
        text = str(report.longrepr)
        if _CONTROL.search(text):
            report.longrepr = escape_control(text)
    report.sections = [(title, escape_control(body)) for title, body in report.sections]
    note = getattr(report, "wasxfail", None)
    if isinstance(note, str):
        report.wasxfail = escape_control(note)
