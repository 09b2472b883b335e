"""The security headers are left off the 422 answering a body that is not JSON.

Ordinary checks send JSON (or forms) to JSON routes; the fuzz area sends undecodable
bodies, and FUZZ-03 holds every answer to MW-01.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from reference_app.middleware.security_headers import SECURITY_HEADERS
from tests.mutants._base import reference
from tests.mutants._bodies import BodyTap, json_of

CAUGHT_BY = frozenset({"FUZZ-03"})


class BareUndecodableAnswers(BodyTap):
    path = "/products"

    async def handle(self, scope: Scope, body: bytes, receive: Receive, send: Send) -> None:
        if body and json_of(body) is None:

            async def bare(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableHeaders(scope=message)
                    for name in SECURITY_HEADERS:
                        del headers[name]
                await send(message)

            await self.app(scope, receive, bare)
            return
        await self.app(scope, receive, send)


app = reference()
app.add_middleware(BareUndecodableAnswers)  # outermost: after the headers were set
