"""RFC 9457 bodies served as plain application/json instead of application/problem+json."""

from typing import Any

from starlette.responses import JSONResponse

import reference_app.errors
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"ERR-06"})
PROFILE = 'envelope = "rfc9457"\n'


class PlainJSON(JSONResponse):
    def __init__(self, *args: Any, media_type: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


reference_app.errors.JSONResponse = PlainJSON  # type: ignore[misc]
app = reference(error_envelope="rfc9457")
