"""The document is rebuilt for every request, stamped with the moment it was built."""

import time
from typing import Any

from reference_app.openapi import build_document
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"OAS-07"})

app = reference()


def regenerate() -> dict[str, Any]:
    document = build_document(app, app.state.settings.error_envelope)
    document["info"]["x-generated-at"] = time.time_ns()
    return document


app.openapi = regenerate  # type: ignore[method-assign]
