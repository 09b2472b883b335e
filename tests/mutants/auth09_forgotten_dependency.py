"""One more operation documents the bearer scheme but never asks who the caller is: the
scheme is a dependency, the user lookup was forgotten, and anyone gets the answer."""

from __future__ import annotations

from fastapi import Depends

from reference_app.auth import oauth2_scheme
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-09"})

app = reference()


@app.get("/reports/summary", dependencies=[Depends(oauth2_scheme)])
async def report_summary() -> dict[str, int]:
    return {"reports": 0}
