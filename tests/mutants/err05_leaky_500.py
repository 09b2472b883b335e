"""The 500 envelope carries the exception's type and text."""

from starlette.types import Receive, Scope, Send

from reference_app.errors import error_response
from reference_app.middleware.unhandled import UnhandledErrorMiddleware
from tests.mutants._base import reference, replace_middleware

CAUGHT_BY = frozenset({"ERR-05"})


class LeakyErrors(UnhandledErrorMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            await error_response("tutorial", 500, f"{type(exc).__name__}: {exc}")(
                scope, receive, send
            )


app = reference()
replace_middleware(app, UnhandledErrorMiddleware, LeakyErrors)
