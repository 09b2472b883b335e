"""POST /legacy/items crashes (500) on a body with a property the model does not declare.

No ordinary check sends undeclared properties; the fuzz area's generated bodies do.
"""

from starlette.middleware import Middleware
from starlette.types import Receive, Scope, Send

from tests.mutants._base import reference
from tests.mutants._bodies import BodyTap, json_of

CAUGHT_BY = frozenset({"FUZZ-01"})

DECLARED = {"ItemID", "ItemName", "Cost_USD", "item_id", "item_name", "cost_usd"}


class CrashOnUndeclaredFields(BodyTap):
    path = "/legacy/items"

    async def handle(self, scope: Scope, body: bytes, receive: Receive, send: Send) -> None:
        data = json_of(body)
        if isinstance(data, dict) and set(data) - DECLARED:
            raise KeyError(f"unexpected field {sorted(set(data) - DECLARED)[0]!r}")
        await self.app(scope, receive, send)


app = reference()
app.user_middleware.append(Middleware(CrashOnUndeclaredFields))  # innermost: the 500 envelope
