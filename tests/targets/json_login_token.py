"""An API shaped like the RealWorld ("Conduit") spec's backends, with one of their real bugs.

- A JSON login: ``POST /api/users/login`` with ``{"user": {"email", "password"}}`` answers
  ``{"user": {"email", "username", "token"}}``; the token is sent as
  ``Authorization: Token <jwt>`` (an apiKey scheme in the document, as the spec's own
  OpenAPI file declares it); ``GET /api/user`` is the "me" operation.
- Errors as ``{"errors": {"body": ["..."]}}``, validation errors keyed by the bad field
  (the ``errors-map`` envelope); every 401 challenges with ``WWW-Authenticate: Token``.
- Articles with slug ids: a public list paged by ``limit``/``offset`` as
  ``{"articles": [...], "articlesCount": n}``, a public read, create / update / delete by
  their author.
- Nothing of the tutorial's contract beyond that (no roles, request ids, security headers,
  streams, WebSockets, registration). Its profile says ``contract = "none"``.

The bug, as many RealWorld backends have it: the login looks the e-mail up and answers at
once when nobody has it, verifying a password hash only for known e-mails, so an unknown
e-mail is answered many times faster and the accounts can be enumerated (AUTH-08; OWASP
ASVS 5.0 V6.3.8, the Authentication Cheat Sheet's "Authentication and Error Messages").
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from tests.targets._shared import Tokens, User, authenticate, make_users

PREFIX = "/api"
JWT_SECRET = "json-login-token-target-signing-key-0123456789"  # a test target's, in its profile
USERS = make_users({"jake@conduit.test": ("jake-password-1", ())})
NAMES = {"jake@conduit.test": "jake"}
TOKENS = Tokens(JWT_SECRET, lifetime_minutes=60)
CHALLENGE = {"WWW-Authenticate": "Token"}

token_header = APIKeyHeader(
    name="Authorization",
    scheme_name="Token",
    description="Token <jwt> (the token of POST /api/users/login)",
    auto_error=False,
)


class ErrorBody(BaseModel):
    errors: dict[str, list[str]]


def _errors(status: int, description: str) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody, "description": description}}


INVALID = _errors(422, "Invalid body or parameters, keyed by field")
UNAUTHORIZED = _errors(401, "Missing or invalid credentials")
NOT_FOUND = _errors(404, "No such article")
FORBIDDEN = _errors(403, "Not the article's author")


class LoginUser(BaseModel):
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=128)


class LoginRequest(BaseModel):
    user: LoginUser


class UserOut(BaseModel):
    email: str
    username: str
    token: str


class UserAnswer(BaseModel):
    user: UserOut


class ArticleIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=500)
    body: str = Field("", max_length=5000)


class ArticleUpdate(BaseModel):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=500)
    body: str | None = Field(None, max_length=5000)


class Article(BaseModel):
    slug: str
    title: str
    description: str
    body: str
    author: str


class ArticleRequest(BaseModel):
    article: ArticleIn


class ArticleUpdateRequest(BaseModel):
    article: ArticleUpdate


class ArticleAnswer(BaseModel):
    article: Article


class ArticlesAnswer(BaseModel):
    articles: list[Article]
    articlesCount: int


articles: dict[str, Article] = {}


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(401, message, headers=CHALLENGE)


def login_by_email(email: str, password: str) -> User | None:
    """The bug: an unknown e-mail is refused before any password hash is verified."""
    if email not in USERS:
        return None
    return authenticate(USERS, email, password)


def current_user(authorization: Annotated[str | None, Depends(token_header)]) -> User:
    if not authorization:
        raise _unauthorized("missing authorization credentials")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "token" or not token.strip():
        raise _unauthorized("authorization must be 'Token <jwt>'")
    user = TOKENS.user_of(USERS, token.strip())
    if user is None:
        raise _unauthorized("invalid or expired token")
    return user


def _answer(user: User, token: str) -> UserAnswer:
    return UserAnswer(user=UserOut(email=user.username, username=NAMES[user.username], token=token))


api = APIRouter(prefix=PREFIX)


@api.post("/users/login", responses={**UNAUTHORIZED, **INVALID})
def login(request: LoginRequest) -> UserAnswer:
    user = login_by_email(request.user.email, request.user.password)
    if user is None:
        raise _unauthorized("email or password is invalid")
    return _answer(user, TOKENS.issue(user))


@api.get("/user", responses=UNAUTHORIZED)
def read_me(
    user: Annotated[User, Depends(current_user)],
    authorization: Annotated[str | None, Depends(token_header)],
) -> UserAnswer:
    return _answer(user, (authorization or "").partition(" ")[2].strip())


@api.get("/articles", responses=INVALID)
def list_articles(
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ArticlesAnswer:
    listed = list(articles.values())
    return ArticlesAnswer(articles=listed[offset : offset + limit], articlesCount=len(listed))


def _slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "article"
    return f"{words[:60]}-{secrets.token_hex(4)}"


@api.post("/articles", status_code=201, responses={**UNAUTHORIZED, **INVALID})
def create_article(
    request: ArticleRequest, user: Annotated[User, Depends(current_user)]
) -> ArticleAnswer:
    article = Article(slug=_slug(request.article.title), author=NAMES[user.username],
                      **request.article.model_dump())  # fmt: skip
    articles[article.slug] = article
    return ArticleAnswer(article=article)


def _found(slug: str) -> Article:
    article = articles.get(slug)
    if article is None:
        raise HTTPException(404, "article not found")
    return article


def _authored(slug: str, user: User) -> Article:
    article = _found(slug)
    if article.author != NAMES[user.username]:
        raise HTTPException(403, "only the author may change the article")
    return article


@api.get("/articles/{slug}", responses=NOT_FOUND)
def read_article(slug: str) -> ArticleAnswer:
    return ArticleAnswer(article=_found(slug))


@api.put("/articles/{slug}", responses={**UNAUTHORIZED, **FORBIDDEN, **NOT_FOUND, **INVALID})
def update_article(
    slug: str, request: ArticleUpdateRequest, user: Annotated[User, Depends(current_user)]
) -> ArticleAnswer:
    article = _authored(slug, user)
    changes = request.article.model_dump(exclude_none=True)
    updated = article.model_copy(update=changes)
    articles[slug] = updated
    return ArticleAnswer(article=updated)


@api.delete(
    "/articles/{slug}",
    status_code=204,
    responses={**UNAUTHORIZED, **FORBIDDEN, **NOT_FOUND, **INVALID},
)
def delete_article(slug: str, user: Annotated[User, Depends(current_user)]) -> Response:
    articles.pop(_authored(slug, user).slug)
    return Response(status_code=204)


app = FastAPI(title="Conduit", version="1.0.0", openapi_url=f"{PREFIX}/openapi.json")
app.include_router(api)


@app.exception_handler(StarletteHTTPException)
async def _http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    return JSONResponse({"errors": {"body": [str(error.detail)]}}, error.status_code,
                        headers=error.headers)  # fmt: skip


@app.exception_handler(RequestValidationError)
async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
    fields: dict[str, list[str]] = {}
    for entry in error.errors():
        name = str(entry["loc"][-1]) if entry.get("loc") else "body"
        fields.setdefault(name, []).append(str(entry.get("msg", "is invalid")))
    return JSONResponse({"errors": fields or {"body": ["is invalid"]}}, 422)
