"""An API secured without tokens: an API key in a header, and HTTP Basic.

- ``GET /things/{thing_id}`` takes ``X-API-Key`` (an ``apiKey`` scheme): a missing or
  wrong key is a 401 with ``WWW-Authenticate: APIKey`` (no registered scheme exists for
  keys; any challenge, or a 403, would do).
- ``GET /me`` takes HTTP Basic: wrong credentials are a 401 with a ``Basic`` challenge.
- FastAPI's error bodies; every 401 and 404 is documented. No login, no tokens: AUTH-09
  judges each operation by the scheme it declares, never by Bearer's rules.

Two broken variants: ``make_app(any_key=True)`` (``key_and_basic_any_key.py``) checks the
key only for presence, so a made-up one is let through; ``make_app(basic_challenge="Bearer")``
(``key_and_basic_bearer_challenge.py``) refuses Basic credentials with a challenge that
names another scheme (RFC 7617 §2). Each fails AUTH-09 on its one operation.
"""

import secrets
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Security
from fastapi.security import APIKeyHeader, HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel

API_KEY = "key-and-basic-target-key-0123456789"  # a test target's, in its profile
USERNAME, PASSWORD = "ann", "ann-basic-password-1"


class Message(BaseModel):
    detail: str


class Thing(BaseModel):
    id: int
    name: str


class Me(BaseModel):
    username: str


REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"model": Message, "description": "Missing or wrong credentials"}
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Message, "description": "No such thing"}
}

header_key = APIKeyHeader(name="X-API-Key", auto_error=False)
basic = HTTPBasic(auto_error=False)


def make_app(*, any_key: bool = False, basic_challenge: str = 'Basic realm="things"') -> FastAPI:
    def checked_key(value: Annotated[str | None, Security(header_key)]) -> str:
        accepted = bool(value) if any_key else secrets.compare_digest(value or "", API_KEY)
        if not accepted or value is None:
            raise HTTPException(401, "Missing or wrong API key", {"WWW-Authenticate": "APIKey"})
        return value

    def checked_user(
        credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)],
    ) -> str:
        if credentials is None or not (
            secrets.compare_digest(credentials.username, USERNAME)
            and secrets.compare_digest(credentials.password, PASSWORD)
        ):
            raise HTTPException(
                401, "Missing or wrong credentials", {"WWW-Authenticate": basic_challenge}
            )
        return credentials.username

    app = FastAPI(title="Things", version="1.0.0")

    @app.get("/things/{thing_id}", responses={**REFUSED, **NOT_FOUND})
    def read_thing(thing_id: int, _: Annotated[str, Depends(checked_key)]) -> Thing:
        if thing_id != 1:
            raise HTTPException(404, "No such thing")
        return Thing(id=1, name="one")

    @app.get("/me", responses=REFUSED)
    def read_me(username: Annotated[str, Depends(checked_user)]) -> Me:
        return Me(username=username)

    return app


app = make_app()
