"""One error envelope for every error response (ERR-01..06).

``error_response`` is the single place that decides the body shape; the handlers
and the unhandled-exception middleware all go through it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Mount

from reference_app.request_context import get_request_id

EnvelopeStyle = Literal["tutorial", "rfc9457"]

logger = logging.getLogger("reference_app.errors")

ERROR_CODES: dict[int, str] = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
}
VALIDATION_MESSAGE = "Request validation failed"
# Set in the scope once a crash is logged, so outer layers do not log it again.
LOGGED_SCOPE_KEY = "reference_app.error_logged"
INTERNAL_MESSAGE = "Internal server error"

# Body-related headers of the raiser must not leak into the new body.
_DROPPED_HEADERS = {"content-length", "content-type", "transfer-encoding"}


def error_code(status_code: int) -> str:
    return ERROR_CODES.get(status_code, "HTTP_ERROR")


def reason_phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


def error_response(
    style: EnvelopeStyle,
    status_code: int,
    message: str,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Build the error response in the configured envelope style."""
    kept = {k: v for k, v in (headers or {}).items() if k.lower() not in _DROPPED_HEADERS}
    if status_code in {204, 304} or status_code < 200:
        return Response(status_code=status_code, headers=kept)
    if style == "rfc9457":
        body: dict[str, Any] = {
            "type": "about:blank",
            "title": reason_phrase(status_code),
            "status": status_code,
            "detail": message,
        }
        if status_code == 422 and details is not None:
            body["errors"] = details
        return JSONResponse(body, status_code, kept, media_type="application/problem+json")
    body = {"error_code": error_code(status_code), "message": message, "details": details}
    return JSONResponse(body, status_code, kept)


def validation_details(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Reduce pydantic errors to JSON-safe ``{loc, msg, type}`` entries."""
    details: list[dict[str, Any]] = []
    for error in errors:
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        msg, kind = str(error.get("msg", "")), str(error.get("type", ""))
        details.append({"loc": loc, "msg": msg, "type": kind})
    return details


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app serves at the request's path (RFC 9110 §15.5.6).

    Starlette's 405 names only the first route matching the path; a path served by one
    route per method (``GET /items`` and ``POST /items``) needs them all in ``Allow``.
    """
    routes = [route for route in request.app.router.routes if not isinstance(route, Mount)]
    return [
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]


def install_error_handlers(app: FastAPI, style: EnvelopeStyle) -> None:
    """Route HTTP errors, validation errors and crashes of ``app`` to the envelope."""

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if isinstance(exc.detail, str):
            message, details = exc.detail, None
        else:
            message, details = reason_phrase(exc.status_code), exc.detail
        headers = exc.headers
        if exc.status_code == 405 and (methods := allowed_methods(request)):
            headers = {**(headers or {}), "Allow": ", ".join(methods)}
        return error_response(style, exc.status_code, message, details, headers)

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = validation_details(exc.errors())
        return error_response(style, 422, VALIDATION_MESSAGE, details)

    async def on_crash(request: Request, exc: Exception) -> Response:
        log_unhandled(exc, request.method, request.url.path)
        request.scope[LOGGED_SCOPE_KEY] = True
        return internal_error_response(style)

    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_crash)


def internal_error_response(style: EnvelopeStyle) -> Response:
    return error_response(style, 500, INTERNAL_MESSAGE)


def log_unhandled(exc: BaseException, method: str, path: str) -> None:
    """Keep the traceback server-side only (ERR-05)."""
    logger.error(
        "Unhandled exception on %s %s (request id %s)",
        method,
        path,
        get_request_id(),
        exc_info=exc,
    )
