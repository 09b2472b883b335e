"""A plain Starlette app (no FastAPI) that deviates from SPEC.md in other ways (issue 7).

- Its OpenAPI document is written by hand and served at ``/schema/openapi.json``; no docs page.
- Errors are ``{"errors": [{"code", "message", "field"?}]}``; invalid input is a 400.
- Login at ``/auth/token`` answers 201; bad credentials 401 with a ``realm`` parameter; an
  invalid token is a 403 without ``WWW-Authenticate`` (RFC 6750 wants a 401 with a Bearer
  challenge: the suite reports that as a strict note, not a failure).
- Items paged by ``page``/``size`` as ``{"items", "total", "page", "size"}`` (size at most 50);
  keyset pages at ``/items/cursor`` as ``{"items", "next_cursor"}``, a bad cursor is a 400.
- Health is a plain-text ``OK`` at ``/healthz``. No security headers, request ids, CORS,
  streams or roles: its profile (``starlette_plain.toml``) says so.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.targets._shared import ItemStore, Tokens, User, authenticate, make_users

JWT_SECRET = "starlette-plain-target-signing-key-98765"  # a test target's, given in its profile
TOKENS = Tokens(JWT_SECRET, lifetime_minutes=15)
USERS = make_users({"root": ("root-password-1", ("admin",)), "guest": ("guest-password-1", ())})
MAX_SIZE = 50
store = ItemStore()


class Invalid(Exception):
    """Invalid input: one 400 with an entry per field."""

    def __init__(self, *entries: tuple[str, str]) -> None:
        self.entries = entries


def errors(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {"errors": [{"code": code, "message": message}]}
    return JSONResponse(body, status_code=status, headers=headers)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return errors(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))


async def invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Invalid)
    entries = [{"code": "invalid", "field": field, "message": text} for field, text in exc.entries]
    return JSONResponse({"errors": entries}, status_code=400)


def _int(value: str | None, field: str, default: int, low: int, high: int | None = None) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise Invalid((field, "must be an integer")) from None
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise Invalid((field, f"must be {bound}"))
    return number


def _item_id(request: Request) -> int:
    return _int(request.path_params["item_id"], "item_id", 0, 1)


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise Invalid(("body", "must be a JSON object")) from None
    if not isinstance(body, dict):
        raise Invalid(("body", "must be a JSON object"))
    return body


def _fields(body: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """The item fields of ``body``, validated (``partial``: only those sent, none null)."""
    problems: list[tuple[str, str]] = []
    fields: dict[str, Any] = {}
    for name in ("name", "price", "description"):
        if name not in body:
            if not partial and name != "description":
                problems.append((name, "is required"))
            continue
        value = body[name]
        if name == "name" and not (isinstance(value, str) and 1 <= len(value) <= 100):
            problems.append((name, "must be a string of 1 to 100 characters"))
        elif name == "price" and (isinstance(value, bool) or not isinstance(value, int | float)):
            problems.append((name, "must be a number"))
        elif name == "description" and not (
            value is None or (isinstance(value, str) and len(value) <= 500)
        ):
            problems.append((name, "must be null or at most 500 characters"))
        fields[name] = value
    if problems:
        raise Invalid(*problems)
    return fields


def _not_found() -> Response:
    return errors(404, "not_found", "Item not found")


async def list_items(request: Request) -> Response:
    page = _int(request.query_params.get("page"), "page", 1, 1)
    size_text = request.query_params.get("size")
    size = _int(size_text, "size", 20, 1)
    if size > MAX_SIZE:
        return errors(400, "size_too_large", f"size must be at most {MAX_SIZE}")
    items, total = store.page((page - 1) * size, size)
    return JSONResponse({"items": items, "total": total, "page": page, "size": size})


async def create_item(request: Request) -> Response:
    fields = _fields(await _json_object(request), partial=False)
    item = store.create(fields["name"], fields["price"], fields.get("description"))
    return JSONResponse(item, status_code=201, headers={"Location": f"/items/{item['id']}"})


async def one_item(request: Request) -> Response:
    item_id = _item_id(request)
    if request.method == "GET":
        item = store.get(item_id)
    elif request.method == "PATCH":
        item = store.update(item_id, _fields(await _json_object(request), partial=True))
    else:
        return Response(status_code=204) if store.delete(item_id) else _not_found()
    return JSONResponse(item) if item is not None else _not_found()


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode()


def _decode(cursor: str) -> int:
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error):
        raise Invalid(("cursor", "is not a cursor this API issued")) from None
    if not isinstance(position, dict) or not isinstance(position.get("after"), int):
        raise Invalid(("cursor", "is not a cursor this API issued"))
    return int(position["after"])


async def cursor_items(request: Request) -> Response:
    limit = _int(request.query_params.get("limit"), "limit", 20, 1, MAX_SIZE)
    cursor = request.query_params.get("cursor")
    items, more = store.after(_decode(cursor) if cursor else 0, limit)
    next_cursor = _encode(items[-1]["id"]) if more and items else None
    return JSONResponse({"items": items, "next_cursor": next_cursor})


async def token(request: Request) -> Response:
    if request.headers.get("content-type", "").split(";")[0] != "application/x-www-form-urlencoded":
        raise Invalid(("body", "must be an application/x-www-form-urlencoded form"))
    form = await request.form()
    problems = []
    for field in ("username", "password"):
        values = form.getlist(field)
        if len(values) != 1 or not isinstance(values[0], str) or not values[0]:
            problems.append((field, "is required, once"))
    if problems:
        raise Invalid(*problems)
    user = authenticate(USERS, str(form["username"]), str(form["password"]))
    if user is None:
        challenge = {"WWW-Authenticate": 'Bearer realm="starlette-plain"'}
        return errors(401, "invalid_credentials", "Invalid credentials", challenge)
    body = {"access_token": TOKENS.issue(user), "token_type": "bearer"}
    return JSONResponse(body, status_code=201, headers={"Cache-Control": "no-store"})


def _current_user(request: Request) -> User | Response:
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        challenge = {"WWW-Authenticate": 'Bearer realm="starlette-plain"'}
        return errors(401, "not_authenticated", "Authentication required", challenge)
    user = TOKENS.user_of(USERS, credentials.strip())
    if user is None:  # 403 without a challenge: this app's choice, against RFC 6750
        return errors(403, "invalid_token", "Invalid token")
    return user


async def me(request: Request) -> Response:
    user = _current_user(request)
    if isinstance(user, Response):
        return user
    return JSONResponse({"username": user.username, "roles": list(user.roles)})


async def healthz(request: Request) -> Response:
    return PlainTextResponse("OK")


async def openapi(request: Request) -> Response:
    return JSONResponse(DOCUMENT)


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _errors(description: str) -> dict[str, Any]:
    return {"description": description, **_json({"$ref": "#/components/schemas/Errors"})}


ITEM_ID = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}
ITEM_REF = {"$ref": "#/components/schemas/Item"}
ITEM = _json(ITEM_REF)
BAD = _errors("Invalid input")
MISSING = _errors("No such item")
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Plain Starlette Items", "version": "2.1.0"},
    "paths": {
        "/auth/token": {"post": {
            "operationId": "token",
            "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
                "schema": {"type": "object", "required": ["username", "password"], "properties": {
                    "username": {"type": "string", "minLength": 1},
                    "password": {"type": "string", "minLength": 1}}}}}},
            "responses": {
                "201": {"description": "A token", **_json({"$ref": "#/components/schemas/Token"})},
                "400": BAD, "401": _errors("Invalid credentials")}}},
        "/me": {"get": {
            "operationId": "me", "security": [{"OAuth2": []}],
            "responses": {
                "200": {"description": "The token's user", **_json({
                    "type": "object", "required": ["username", "roles"], "properties": {
                        "username": {"type": "string"},
                        "roles": {"type": "array", "items": {"type": "string"}}}})},
                "401": _errors("No credentials"), "403": _errors("Invalid token")}}},
        "/items": {
            "get": {
                "operationId": "list_items",
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "size", "in": "query",
                     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE}}],
                "responses": {
                    "200": {"description": "A page", **_json({
                        "type": "object", "required": ["items", "total", "page", "size"],
                        "properties": {
                            "items": {"type": "array", "items": ITEM_REF},
                            "total": {"type": "integer"}, "page": {"type": "integer"},
                            "size": {"type": "integer"}}})},
                    "400": BAD}},
            "post": {
                "operationId": "create_item",
                "requestBody": {"required": True, **_json({"$ref": "#/components/schemas/ItemIn"})},
                "responses": {"201": {"description": "Created", **ITEM}, "400": BAD}}},
        "/items/cursor": {"get": {
            "operationId": "cursor_items",
            "parameters": [
                {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                {"name": "limit", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE}}],
            "responses": {
                "200": {"description": "A keyset page", **_json({
                    "type": "object", "required": ["items", "next_cursor"], "properties": {
                        "items": {"type": "array", "items": ITEM_REF},
                        "next_cursor": {"type": ["string", "null"]}}})},
                "400": BAD}}},
        "/items/{item_id}": {
            "parameters": [ITEM_ID],
            "get": {"operationId": "read_item", "responses": {
                "200": {"description": "The item", **ITEM}, "400": BAD, "404": MISSING}},
            "patch": {
                "operationId": "update_item",
                "requestBody": {"required": True, **_json({"type": "object", "properties": {
                    "name": {"type": "string", "minLength": 1, "maxLength": 100},
                    "price": {"type": "number"},
                    "description": {"type": ["string", "null"], "maxLength": 500}}})},
                "responses": {"200": {"description": "Updated", **ITEM}, "400": BAD,
                              "404": MISSING}},
            "delete": {"operationId": "delete_item", "responses": {
                "204": {"description": "Deleted"}, "400": BAD, "404": MISSING}}},
        "/healthz": {"get": {"operationId": "healthz", "responses": {"200": {
            "description": "Alive", "content": {"text/plain": {"schema": {"const": "OK"}}}}}}},
    },
    "components": {
        "schemas": {
            "ItemIn": {"type": "object", "required": ["name", "price"], "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 100},
                "price": {"type": "number"},
                "description": {"type": ["string", "null"], "maxLength": 500}}},
            "Item": {"type": "object", "required": ["id", "name", "price", "description"],
                     "properties": {
                         "id": {"type": "integer"}, "name": {"type": "string"},
                         "price": {"type": "number"},
                         "description": {"type": ["string", "null"]}}},
            "Token": {"type": "object", "required": ["access_token", "token_type"], "properties": {
                "access_token": {"type": "string"}, "token_type": {"type": "string"}}},
            "Errors": {"type": "object", "required": ["errors"], "properties": {"errors": {
                "type": "array", "minItems": 1, "items": {
                    "type": "object", "required": ["code", "message"], "properties": {
                        "code": {"type": "string"}, "message": {"type": "string"},
                        "field": {"type": "string"}}}}}},
        },
        "securitySchemes": {"OAuth2": {"type": "oauth2", "flows": {"password": {
            "tokenUrl": "/auth/token", "scopes": {}}}}},
    },
}  # fmt: skip

app = Starlette(
    routes=[
        Route("/auth/token", token, methods=["POST"]),
        Route("/me", me),
        Route("/items", list_items, methods=["GET"]),
        Route("/items", create_item, methods=["POST"]),
        Route("/items/cursor", cursor_items),
        Route("/items/{item_id}", one_item, methods=["GET", "PATCH", "DELETE"]),
        Route("/healthz", healthz),
        Route("/schema/openapi.json", openapi),
    ],
    exception_handlers={HTTPException: http_error, Invalid: invalid},
)
