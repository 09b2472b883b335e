"""Opaque keyset cursors: base64 of JSON ``{"id": last_id}`` (PAGE-03, PAGE-04)."""

from __future__ import annotations

import base64
import binascii
import json


class InvalidCursor(ValueError):
    """The cursor cannot be decoded into a position."""


def encode_cursor(last_id: int) -> str:
    raw = json.dumps({"id": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The last id seen; raises InvalidCursor for anything that is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (binascii.Error, UnicodeError, ValueError) as error:
        raise InvalidCursor(str(error)) from None
    last_id = data.get("id") if isinstance(data, dict) else None
    if not isinstance(last_id, int) or isinstance(last_id, bool) or last_id < 0:
        raise InvalidCursor("the cursor holds no item id")
    return last_id
