"""The login form's password is optional: a login without it is a 401, not a 422."""

from fastapi import Form
from fastapi.security import OAuth2PasswordRequestForm

from tests.mutants._base import reference

CAUGHT_BY = frozenset({"AUTH-03"})


class LenientForm:
    def __init__(self, username: str = Form(), password: str = Form("")) -> None:
        self.username = username
        self.password = password


app = reference()
app.dependency_overrides[OAuth2PasswordRequestForm] = LenientForm
