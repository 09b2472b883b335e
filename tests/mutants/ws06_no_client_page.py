"""The /ws-client test page is gone."""

from tests.mutants._base import reference
from tests.mutants._routes import drop_route

CAUGHT_BY = frozenset({"WS-06"})

app = reference()
drop_route(app, "/ws-client")
