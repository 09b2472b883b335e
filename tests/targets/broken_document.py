"""An app whose OpenAPI document itself fails: ``GET /openapi.json`` answers 500.

``conformance init`` must still write a starting profile for it (without the document).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

app = FastAPI(title="Broken document")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


def _broken_document() -> dict[str, Any]:
    raise RuntimeError("a response model this FastAPI version cannot describe")


app.openapi = _broken_document  # type: ignore[method-assign]
