"""Pieces of the fuzz area: token renewal, exclusions, id shifting, FUZZ attribution,
fresh connections, one finding per cause, the accounts guard, cleanup, read credentials."""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest
from pytest_conformance import Profile, Target
from pytest_conformance.profile.sections import profile_from_mapping
from pytest_conformance.target_model.openapi_document import OpenAPIDocument

from conformance.fuzzing import tokens
from conformance.fuzzing.accounts import Accounts
from conformance.fuzzing.checks import ConformanceChecks
from conformance.fuzzing.cleanup import Cleanup
from conformance.fuzzing.credentials import Credentials
from conformance.fuzzing.runner import excluded
from conformance.fuzzing.sender import ID_SHIFT, Sender, shift_ids
from conformance.fuzzing.verdicts import FUZZ_IDS, ON_SERVER_ERROR, Finding, Findings


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


def test_a_profile_without_a_me_path_still_fuzzes_and_spares_me_paths() -> None:
    """``contract = "none"`` without ``[paths] users_me``: an app with no login at all (FastAPI's
    SQL tutorial's heroes). Reading the unmapped key used to make the whole fuzz area not
    applicable as soon as the document had one mutating operation."""
    profile = profile_from_mapping({"contract": "none"}, "test")
    try:
        assert not excluded(profile, "post", "/heroes/")
        assert not excluded(profile, "delete", "/heroes/{hero_id}")
        assert excluded(profile, "patch", "/users/me")
        assert excluded(profile, "delete", "/api/me/sessions")
        assert Accounts.of(cast(Target, None), profile).names == set()
    except pytest.skip.Exception as reason:  # "not applicable" would skip the whole area
        pytest.fail(f"the fuzz would be not applicable: {reason}")


def test_small_path_ids_are_moved_out_of_the_way() -> None:
    class Case:
        def __init__(self) -> None:
            self.path_parameters = {"a": 1, "b": -4, "c": "x", "d": True, "e": 2**40}

    case = Case()
    shift_ids(case)
    assert case.path_parameters == {"a": 1 + ID_SHIFT, "b": -4, "c": "x", "d": True, "e": 2**40}


def test_every_fuzz_id_has_checks() -> None:
    assert set(FUZZ_IDS.values()) == {"FUZZ-01", "FUZZ-02", "FUZZ-03", "FUZZ-04"}


class _UrlTarget:
    """A URL-mode target whose clients answer through ``handler`` (no sockets)."""

    mode = "url"
    base_url = "http://target"

    def __init__(self, handler: Any) -> None:
        self.handler = handler
        self.clients = 0

    def client(self, **options: bool) -> httpx.Client:
        self.clients += 1
        return httpx.Client(base_url=self.base_url, transport=httpx.MockTransport(self.handler))


def _sender(target: _UrlTarget) -> Sender:
    profile = Profile()
    return Sender(target, profile, tokens.TokenSource(target, profile, "admin"))  # type: ignore[arg-type]


def test_a_reset_connection_is_retried_on_a_fresh_one() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if len(calls) == 2:  # the server closed the connection after the first answer
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        return httpx.Response(200, json={})

    target = _UrlTarget(handler)
    sender = _sender(target)
    assert sender.request("GET", "http://target/a", {}).status_code == 200
    assert sender.request("GET", "http://target/b", {}).status_code == 200
    assert calls == ["/a", "/b", "/b"] and sender.retries == 1
    assert target.clients == 2  # the retry went out on a new connection
    sender.close()


def test_a_connection_that_stays_broken_is_not_retried_twice() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset by peer")

    sender = _sender(_UrlTarget(handler))
    with pytest.raises(httpx.ReadError):
        sender.request("GET", "http://target/a", {})
    assert sender.retries == 1


def _finding(check: str, operation: str = "GET /x") -> Finding:
    return Finding(FUZZ_IDS[check], check, operation, "message", "curl", "500 boom")


def test_one_cause_is_one_finding_and_every_finding_is_kept() -> None:
    findings = Findings()
    for _ in range(3):
        findings.add(_finding("not_a_server_error"))
        findings.add(_finding("conformance_no_server_error"))
    for index in range(50):  # far more than the terminal shows: all kept
        findings.add(_finding("conformance_security_headers", f"GET /y{index}"))
    (crash,) = findings.of("FUZZ-01")
    assert crash.repeats == 6
    assert len(findings.of("FUZZ-03")) == 50


def test_a_server_error_is_judged_as_a_server_error_only() -> None:
    assert set(ON_SERVER_ERROR) == {
        "not_a_server_error", "conformance_no_server_error", "conformance_no_secrets"
    }  # fmt: skip


def test_me_operations_that_change_something_are_left_out() -> None:
    profile = Profile.model_validate({"paths": {"prefix": "/api/v1"}})
    for method, path in [("PATCH", "/api/v1/users/me"), ("PATCH", "/api/v1/users/me/password"),
                         ("DELETE", "/users/me/"), ("POST", "/api/v1/users/me")]:  # fmt: skip
        assert excluded(profile, method, path), (method, path)
    assert not excluded(profile, "GET", "/api/v1/users/me")
    assert not excluded(profile, "PATCH", "/api/v1/users/{user_id}")
    assert not excluded(profile, "PATCH", "/api/v1/memes/{meme_id}")


def test_requests_naming_our_accounts_are_not_sent() -> None:
    accounts = Accounts({"1", "admin@example.com", "5f0c3b0e-8b0a-4b8e-9f59-6a4f1f5a2d11"})
    assert accounts.names_one("PATCH", {"user_id": 1})
    assert accounts.names_one("DELETE", {"user_id": "5f0c3b0e-8b0a-4b8e-9f59-6a4f1f5a2d11"})
    assert not accounts.names_one("GET", {"user_id": 1})
    assert not accounts.names_one("PATCH", {"user_id": 2})


DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        "/items/": {"post": {"responses": {}}},
        "/items/{item_id}": {
            "get": {"responses": {}},
            "delete": {"responses": {}, "security": [{"OAuth2": []}]},
        },
        "/notes/": {"post": {"responses": {}}},
        "/search/": {"post": {"responses": {}}},
        "/admin/accounts/{account_id}": {
            "get": {"responses": {}, "security": [{"OAuth2": ["admin"]}]}
        },
    },
}


def test_what_the_run_created_is_deleted_or_named() -> None:
    cleanup = Cleanup(OpenAPIDocument(DOCUMENT))
    created = httpx.Response(201, headers={"Location": "/items/7"})
    cleanup.note("POST", "http://t/items/", created, "POST /items/")
    cleanup.note("POST", "http://t/items/", httpx.Response(200, json={"id": 8}), "POST /items/")
    cleanup.note("POST", "http://t/notes/", httpx.Response(201, json={"id": 9}), "POST /notes/")
    cleanup.note("POST", "http://t/search/", httpx.Response(200, json={"id": 3}), "POST /search/")
    cleanup.note("POST", "http://t/items/", httpx.Response(422), "POST /items/")
    assert [c.url for c in cleanup.created] == [
        "http://t/items/7",
        "http://t/items/8",
        "http://t/notes/9",
    ]
    deletes: list[str] = []

    def delete(url: str, operation: Any) -> httpx.Response:
        deletes.append(url)
        return httpx.Response(404 if url.endswith("/7") else 204)  # 7: a sequence deleted it

    cleanup.delete_all(delete)
    assert deletes == ["http://t/items/8", "http://t/items/7"]
    assert cleanup.deleted == 2
    assert cleanup.left == ["http://t/notes/9 (POST /notes/): the document has no DELETE for it"]


def test_a_create_that_failed_with_a_5xx_is_named_as_possibly_left_behind() -> None:
    """FastAPI's full-stack template stores a user with an invalid e-mail, then fails to
    answer it (500): nothing names the row, so the run says it may have left it."""
    cleanup = Cleanup(OpenAPIDocument(DOCUMENT))
    for _ in range(2):
        cleanup.note("POST", "http://t/notes/", httpx.Response(500), "POST /notes/")
    cleanup.note("GET", "http://t/items/1", httpx.Response(500), "GET /items/{item_id}")
    assert cleanup.created == []
    assert cleanup.left == [
        "POST /notes/: answered 500; whatever it stored before failing has no URL to delete it by"
    ]


USER = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}
SIGNUP_DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        "/api/v1/users/signup": {"post": {"responses": {"200": USER}}},
        "/api/v1/login/test-token": {"post": {"responses": {"200": USER}}},
        "/api/v1/users/{user_id}": {
            "get": {"responses": {"200": USER}},
            "delete": {"responses": {"200": {}}},
        },
    },
    "components": {"schemas": {"User": {"type": "object"}}},
}


def test_a_create_elsewhere_is_deleted_where_its_schema_is_read_never_our_account() -> None:
    """``POST /users/signup`` answers the ``User`` that ``/users/{user_id}`` reads and
    deletes; ``POST /login/test-token`` answers the logged-in user, who is ours."""
    ours = "3ea98482-a7d7-476b-beec-bd61c2cb61d9"
    cleanup = Cleanup(OpenAPIDocument(SIGNUP_DOCUMENT), protected=frozenset({ours}))
    signed_up = httpx.Response(200, json={"id": "c0ffee00-0000-4000-8000-000000000001"})
    cleanup.note("POST", "http://t/api/v1/users/signup", signed_up, "POST /api/v1/users/signup")
    me = httpx.Response(200, json={"id": ours, "email": "admin@example.com"})
    cleanup.note("POST", "http://t/api/v1/login/test-token", me, "POST /api/v1/login/test-token")
    assert [c.url for c in cleanup.created] == [
        "http://t/api/v1/users/c0ffee00-0000-4000-8000-000000000001"
    ]


def test_a_create_wrapped_and_named_by_its_item_parameter_is_deleted() -> None:
    """RealWorld's ``POST /api/articles`` answers ``{"article": {"slug": ...}}`` and
    ``DELETE /api/articles/{slug}`` deletes it."""
    document = {
        "openapi": "3.1.0",
        "paths": {
            "/api/articles": {"post": {"responses": {}}},
            "/api/articles/{slug}": {"delete": {"responses": {}}},
        },
    }
    cleanup = Cleanup(OpenAPIDocument(document))
    made = httpx.Response(201, json={"article": {"slug": "how-to-a1b2", "title": "How to"}})
    cleanup.note("POST", "http://t/api/articles", made, "POST /api/articles")
    assert [c.url for c in cleanup.created] == ["http://t/api/articles/how-to-a1b2"]
    assert cleanup.left == []


def test_reads_use_the_credentials_their_operation_needs() -> None:
    document = OpenAPIDocument(DOCUMENT)
    profile = Profile.model_validate(
        {"protected_routes": [], "fuzz": {"role": "user"},
         "users": {"user": {"username": "u", "password": "p"},
                   "admin": {"username": "a", "password": "p"}}}
    )  # fmt: skip
    issued: list[str] = []

    class Source:
        def __init__(self, role: str) -> None:
            self.role = role

        def token(self) -> str:
            issued.append(self.role)
            return f"token-of-{self.role}"

    credentials = Credentials(_Target(), profile, Source("user"))  # type: ignore[arg-type]
    credentials._source = Source  # type: ignore[method-assign]
    public = document.find("GET", "/items/1")
    admin_only = document.find("GET", "/admin/accounts/1")
    any_user = document.find("DELETE", "/items/1")
    assert public is not None and admin_only is not None and any_user is not None
    assert credentials.for_operation(public).headers == {}
    assert credentials.for_operation(admin_only).headers == {
        "Authorization": "Bearer token-of-admin"
    }
    assert credentials.for_operation(any_user).role == "user"  # the fuzz role when it may
    nobody = Profile.model_validate({"protected_routes": [], "users": {}})
    chosen = Credentials(_Target(), nobody, Source("admin")).for_operation(admin_only)  # type: ignore[arg-type]
    assert chosen.reason and "[users.admin]" in chosen.reason


@contextlib.contextmanager
def _server_dropping_reused_connections() -> Iterator[str]:
    """A raw HTTP/1.1 server: answers the first request of each connection (keep-alive, no
    ``Connection: close``), then drops the connection when the client reuses it — what a
    client meets when a server closed the connection after an error without saying so."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve(connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            for answered in (False, True):
                request = b""
                while b"\r\n\r\n" not in request:
                    chunk = connection.recv(65536)
                    if not chunk:
                        return
                    request += chunk
                if answered:  # a reused connection: reset, unanswered
                    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")
                    return
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                connection, _ = listener.accept()
                threading.Thread(target=serve, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def test_a_reset_reused_connection_over_real_sockets_is_retried() -> None:
    with _server_dropping_reused_connections() as url:

        class Target(_UrlTarget):
            def client(self, **options: bool) -> httpx.Client:
                self.clients += 1
                return httpx.Client(base_url=url, timeout=5)

        target = Target(None)
        sender = _sender(target)
        answers = [sender.request("GET", f"{url}/{index}", {}).status_code for index in range(3)]
        sender.close()
    assert answers == [200, 200, 200]
    assert sender.retries == 2 and target.clients == 3


def test_a_case_without_its_api_key_authorization_is_sent_as_generated() -> None:
    """An apiKey scheme in ``Authorization`` (RealWorld's ``Token``) is a header parameter to
    the generator: a negative case that leaves it out must not be repaired with our token."""
    from types import SimpleNamespace

    from conformance.fuzzing.sender import negative_headers

    schemes = {
        "Token": {"type": "apiKey", "in": "header", "name": "Authorization"},
        "Bearer": {"type": "http", "scheme": "bearer"},
    }

    def case(scheme: str, negative: bool) -> Any:
        operation = SimpleNamespace(
            definition=SimpleNamespace(raw={"security": [{scheme: []}]}),
            schema=SimpleNamespace(raw_schema={"components": {"securitySchemes": schemes}}),
        )
        meta = SimpleNamespace(is_negative_at=lambda location: negative)
        return SimpleNamespace(operation=operation, _meta=meta)

    assert negative_headers(case("Token", negative=True))
    assert not negative_headers(case("Token", negative=False))
    assert not negative_headers(case("Bearer", negative=True))  # ours to add, as always


class _Refusal:
    checks = ("positive_data_acceptance",)


class _Answer:
    def __init__(self, status: int, body: bytes = b"{}") -> None:
        self.status_code, self.content = status, body


class _Operation:
    def __init__(self, *statuses: str) -> None:
        raw = {"responses": {status: {} for status in statuses}}
        self.definition = type("Definition", (), {"raw": raw})


def test_a_documented_business_refusal_is_not_a_validation_mismatch() -> None:
    """FUZZ-04: schema-valid input refused "as invalid" is the profile's validation status
    (422 by default) or an undocumented one; fastapi-users' documented
    ``400 REGISTER_USER_ALREADY_EXISTS`` is a business rule."""
    ours = ConformanceChecks(Profile())
    register = _Operation("201", "400", "422")
    assert not ours.keeps(_Refusal(), _Answer(400), register)
    assert ours.keeps(_Refusal(), _Answer(422), register)
    assert ours.keeps(_Refusal(), _Answer(400), _Operation("201", "422"))
    assert not ours.keeps(
        _Refusal(), _Answer(422, b'"password and confirm_password must match"'), register
    )
    four_hundred = ConformanceChecks(
        profile_from_mapping({"errors": {"validation_status": 400}}, "test")
    )
    assert four_hundred.keeps(_Refusal(), _Answer(400), register)
