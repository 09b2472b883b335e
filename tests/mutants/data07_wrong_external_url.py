"""The external data names another service."""

import reference_app.routers.external
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"DATA-07"})

reference_app.routers.external.EXTERNAL_USERS_URL = "https://api.example.com/users"
app = reference()
