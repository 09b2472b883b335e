"""Any client X-Request-ID is trusted and echoed, however long or odd."""

import reference_app.middleware.request_id
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"MW-04"})

reference_app.middleware.request_id.is_valid_request_id = lambda value: bool(value)
app = reference()
