"""Database ids in paths: 32-bit integers, as every supported database stores them.

Declared as bounds (``minimum``/``maximum`` in the document), so an id no column can hold
is a 422 validation error instead of a database error (FUZZ-01, FUZZ-04).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

MIN_ID = -(2**31)
MAX_ID = 2**31 - 1

DbId = Annotated[int, Path(ge=MIN_ID, le=MAX_ID, description="a database id (32-bit)")]
