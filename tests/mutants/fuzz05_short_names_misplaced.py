"""POST /authors with a short name (under 3 characters) answers a Location of another author.

Ordinary checks create authors with long unique names; the fuzz area's first generated
name is "0", and FUZZ-05 follows every Location of a create.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from tests.mutants._base import reference
from tests.mutants._bodies import BodyTap, json_of

CAUGHT_BY = frozenset({"FUZZ-05"})


class MisplacedLocation(BodyTap):
    path = "/authors"

    async def handle(self, scope: Scope, body: bytes, receive: Receive, send: Send) -> None:
        data = json_of(body)
        name = data.get("name") if isinstance(data, dict) else None
        if not (isinstance(name, str) and len(name) < 3):
            await self.app(scope, receive, send)
            return

        async def misplaced(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 201:
                headers = MutableHeaders(scope=message)
                location = headers.get("location", "")
                headers["location"] = location.replace("/authors/", "/authors/1000000", 1)
            await send(message)

        await self.app(scope, receive, misplaced)


app = reference()
app.add_middleware(MisplacedLocation)
