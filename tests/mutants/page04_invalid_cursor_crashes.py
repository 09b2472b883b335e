"""The cursor is decoded without a guard: an undecodable one is a 500."""

import base64
import json

import reference_app.routers.items
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"PAGE-04", "OAS-06"})  # its 500 is not in the document


def trusting_decode(cursor: str) -> int:
    return int(json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["id"])


reference_app.routers.items.decode_cursor = trusting_decode
app = reference()
