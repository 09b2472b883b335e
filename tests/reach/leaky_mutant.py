"""A mutant that leaks on purpose: one change (the token decoder) that several areas see.

It declares nothing: ``tests/test_reach.py`` runs it scoped and whole and requires the
same failures from both, in more than one area (every token an admin's: RBAC, and the
checks of ERR and MW that need a 403). Kept out of the catalogue, whose mutants each
claim their exact IDs.
"""

from __future__ import annotations

import reference_app.auth
from reference_app.security import TokenClaims, decode_access_token
from reference_app.settings import Settings
from tests.mutants._base import reference


def decode_as_admin(token: str, settings: Settings) -> TokenClaims:
    claims = decode_access_token(token, settings)
    return TokenClaims(subject=claims.subject, roles=("admin", *claims.roles))


reference_app.auth.decode_access_token = decode_as_admin
app = reference()
