"""Integers as JSON Schema means them: ``1`` and ``1.0`` are integers, ``true`` and ``"1"`` not.

pydantic's lax ``int`` takes booleans and numeric strings; its strict ``int`` refuses
``1.0``. The document says ``integer``, so the body fields accept exactly that (FUZZ-04).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator


def _json_integer(value: Any) -> Any:
    if isinstance(value, bool | str | bytes):
        raise ValueError("Input should be a valid integer")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_integer)]
