"""Pieces of the fuzz area: token renewal, exclusions, id shifting, FUZZ attribution."""

from __future__ import annotations

import base64
import contextlib
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_conformance import Profile

from conformance.fuzzing import tokens
from conformance.fuzzing.runner import excluded
from conformance.fuzzing.sender import ID_SHIFT, shift_ids
from conformance.fuzzing.verdicts import FUZZ_IDS


def _jwt(exp: float) -> str:
    payload = base64.urlsafe_b64encode(json.dumps({"exp": exp}).encode()).decode().rstrip("=")
    return f"header.{payload}.signature"


class _Target:
    @contextlib.contextmanager
    def client(self) -> Iterator[None]:
        yield None


def test_expiry_reads_the_jwt_exp_or_falls_back() -> None:
    assert tokens.expiry(_jwt(1234.0), 60) == 1234.0
    assert abs(tokens.expiry("opaque-token", 60) - (time.time() + 60)) < 5


def test_token_is_renewed_before_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    issued: list[str] = []

    def request_token(client: Any, profile: Profile, username: str, password: str) -> str:
        issued.append(username)
        return _jwt(time.time() + (5 if len(issued) == 1 else 3600))

    monkeypatch.setattr(tokens, "request_token", request_token)
    source = tokens.TokenSource(_Target(), Profile(), "admin")  # type: ignore[arg-type]
    first = source.token()
    second = source.token()  # the first expires within the renewal margin: a new login
    third = source.token()  # still fresh: cached
    assert issued == ["alice", "alice"]
    assert first != second == third
    assert source.logins == 2


def test_no_token_without_auth_or_user() -> None:
    profile = Profile.model_validate({"capabilities": {"auth": False}})
    assert tokens.TokenSource(_Target(), profile, "admin").token() is None  # type: ignore[arg-type]
    assert tokens.TokenSource(_Target(), Profile(), "nobody").token() is None  # type: ignore[arg-type]


def test_profile_exclusions_match_method_and_path() -> None:
    profile = Profile()
    assert excluded(profile, "delete", "/admin/users/{user_id}")
    assert excluded(profile, "get", "/stream/events")
    assert not excluded(profile, "get", "/users/{user_id}")


def test_small_path_ids_are_moved_out_of_the_way() -> None:
    class Case:
        def __init__(self) -> None:
            self.path_parameters = {"a": 1, "b": -4, "c": "x", "d": True, "e": 2**40}

    case = Case()
    shift_ids(case)
    assert case.path_parameters == {"a": 1 + ID_SHIFT, "b": -4, "c": "x", "d": True, "e": 2**40}


def test_every_fuzz_id_has_checks() -> None:
    assert set(FUZZ_IDS.values()) == {"FUZZ-01", "FUZZ-02", "FUZZ-03", "FUZZ-04"}
