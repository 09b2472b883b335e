"""CORS (MW-06) whose rejected preflights also use the error envelope."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp

from reference_app.errors import EnvelopeStyle, error_response


class EnvelopeCORSMiddleware(CORSMiddleware):
    def __init__(
        self,
        app: ASGIApp,
        *,
        allow_origins: Sequence[str],
        style: EnvelopeStyle = "tutorial",
    ) -> None:
        super().__init__(
            app,
            allow_origins=allow_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["X-Request-ID", "Retry-After", "Location"],
        )
        self.style = style

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        message = bytes(response.body).decode("utf-8", "replace")
        return error_response(self.style, response.status_code, message, None, response.headers)
