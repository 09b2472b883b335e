"""Pure ASGI middleware and the order they are installed in."""

from __future__ import annotations

from fastapi import FastAPI

from reference_app.middleware.access_log import AccessLogMiddleware
from reference_app.middleware.cors import EnvelopeCORSMiddleware
from reference_app.middleware.request_id import RequestIDMiddleware, get_request_id
from reference_app.middleware.security_headers import SecurityHeadersMiddleware
from reference_app.middleware.unhandled import UnhandledErrorMiddleware
from reference_app.settings import Settings

__all__ = ["get_request_id", "install_middleware"]


def install_middleware(app: FastAPI, settings: Settings) -> None:
    """Install, outermost first: access log, request id, security headers, CORS, 500s.

    Everything that produces a response (CORS preflights, the 500 envelope, routes,
    mounted sub-apps) sits inside the request-id and security-header layers, so no
    response escapes them; the access log is outermost so it sees the final status.
    ``add_middleware`` prepends, hence the reversed calls.
    """
    app.add_middleware(UnhandledErrorMiddleware, style=settings.error_envelope)
    app.add_middleware(
        EnvelopeCORSMiddleware,
        allow_origins=settings.allowed_origins,
        style=settings.error_envelope,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestIDMiddleware)
    app.add_middleware(AccessLogMiddleware, logger_name=settings.access_log_logger)
