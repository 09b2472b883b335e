"""The main app's error answers carry no X-Request-ID (the mounted sub-apps' still do)."""

from starlette.types import Message, Receive, Scope, Send

from reference_app.middleware.request_id import REQUEST_ID_HEADER, RequestIDMiddleware
from tests.mutants._base import reference, replace_middleware

CAUGHT_BY = frozenset({"MW-02"})


class SuccessOnlyRequestID(RequestIDMiddleware):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def strip_on_error(message: Message) -> None:
            in_sub_app = scope.get("path", "").startswith(("/v1/", "/v2/"))
            if (
                message["type"] == "http.response.start"
                and message["status"] >= 400
                and not in_sub_app
            ):
                name = REQUEST_ID_HEADER.lower().encode()
                message["headers"] = [(k, v) for k, v in message["headers"] if k.lower() != name]
            await send(message)

        await super().__call__(scope, receive, strip_on_error)


app = reference()
replace_middleware(app, RequestIDMiddleware, SuccessOnlyRequestID)
