"""Security headers are left off 405 answers."""

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from reference_app.middleware.security_headers import SECURITY_HEADERS, SecurityHeadersMiddleware
from tests.mutants._base import reference, replace_middleware

CAUGHT_BY = frozenset({"MW-01"})


class SuccessOnlyHeaders(SecurityHeadersMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] != 405:
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


app = reference()
replace_middleware(app, SecurityHeadersMiddleware, SuccessOnlyHeaders)
