"""Not applicable: a contract check whose endpoint or payload the target never promised.

With ``contract = "none"`` a target is judged by what it declares, not by the tutorial's
app: a contract check runs only where the profile maps what it uses (a ``[paths]`` key, a
``protected_routes`` row, a user). Reading an unmapped path skips the check with a reason
that starts ``not applicable:``, which the report counts apart: never a failure, never a
pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

import pytest

if TYPE_CHECKING:
    from pytest_conformance.profile.sections import Profile

PREFIX = "not applicable: "
OUTCOME = "not_applicable"


def not_applicable(reason: str) -> NoReturn:
    """The running check judges a promise the target never made."""
    __tracebackhide__ = True
    pytest.skip(PREFIX + reason)


def unmapped(profile: Profile, what: str) -> NoReturn:
    """The profile lacks ``what`` the check needs: not applicable under ``contract = "none"``
    (the target never promised it), a plain skip naming it under the tutorial's contract."""
    __tracebackhide__ = True
    if profile.contract == "none":
        not_applicable(f'{what} and contract = "none"')
    pytest.skip(what)


def unmapped_key(key: str) -> NoReturn:
    """``key`` (``"[paths] items"``) keeps its tutorial default, which ``contract = "none"``
    does not assume."""
    __tracebackhide__ = True
    not_applicable(
        f'the profile maps no {key} and contract = "none" '
        "(give it the target's own value to judge it)"
    )


def is_not_applicable(reason: str) -> bool:
    """Whether a skip's reason (as pytest reports it: ``Skipped: …``) says not applicable."""
    return reason.removeprefix("Skipped: ").startswith(PREFIX)
