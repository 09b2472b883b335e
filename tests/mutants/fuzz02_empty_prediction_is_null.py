"""GET /predict with empty data answers {"result": null}, which its schema (a string) forbids.

LIFE-01 predicts for real data; the fuzz area's first generated value is the empty string,
and FUZZ-02 validates every answer against the document.
"""

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"FUZZ-02"})

router = APIRouter()


@router.get("/predict", include_in_schema=False)
async def predict(data: str = Query(max_length=1000)) -> JSONResponse:
    return JSONResponse({"result": f"prediction for: {data}" if data else None})


app = reference()
shadow_routes(app, router)
