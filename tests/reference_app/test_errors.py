"""ERR-01..06: one envelope for every error, raiser headers kept."""

from __future__ import annotations

import logging
from http import HTTPStatus
from pathlib import Path
from typing import Any

import httpx
import pytest
from refapp_support import (
    JWT_SECRET,
    SECRET,
    SECURITY_HEADERS,
    bearer,
    client_for,
    token_for,
)

pytestmark = pytest.mark.anyio


def assert_envelope(response: httpx.Response, status: int, code: str, message: str) -> Any:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error_code", "message", "details"}
    assert body["error_code"] == code
    assert body["message"] == message
    return body["details"]


async def test_unknown_route_is_404_envelope(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get("/does-not-exist")
    assert assert_envelope(response, 404, "NOT_FOUND", "Not Found") is None


async def test_wrong_method_is_405_envelope_with_allow(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.delete("/health")
    assert_envelope(response, 405, "HTTP_ERROR", "Method Not Allowed")
    assert "GET" in response.headers["allow"]


async def test_validation_error_lists_loc_msg_type(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.post("/items", json={"name": "x", "price": -1})
    details = assert_envelope(response, 422, "VALIDATION_ERROR", "Request validation failed")
    assert [set(entry) for entry in details] == [{"loc", "msg", "type"}]
    assert details[0]["loc"] == ["body", "price"]


async def test_over_long_name_is_422_not_database_error(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.post("/items", json={"name": "n" * 101, "price": 1})
    assert_envelope(response, 422, "VALIDATION_ERROR", "Request validation failed")


async def test_unhandled_exception_is_opaque_500_with_headers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="reference_app.errors")
    async with client_for(tmp_path) as client:
        response = await client.get(
            "/orders/user/1", params={"fail": "true"}, headers={"X-Request-ID": "crash-1"}
        )
    assert_envelope(response, 500, "INTERNAL_ERROR", "Internal server error")
    for leak in ("simulated", "Traceback", "SimulatedFailure", ".py", SECRET, JWT_SECRET):
        assert leak not in response.text
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["x-request-id"] == "crash-1"
    crash_logs = [r for r in caplog.records if r.name == "reference_app.errors"]
    assert len(crash_logs) == 1 and crash_logs[0].exc_info is not None


async def test_missing_token_is_401_with_challenge(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get("/users/me")
        basic = await client.get("/users/me", headers={"Authorization": "Basic YTpi"})
    for answer in (response, basic):
        assert_envelope(answer, 401, "UNAUTHORIZED", "Not authenticated")
        assert answer.headers["www-authenticate"] == "Bearer"


async def test_wrong_password_is_401_with_challenge(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        wrong = await client.post("/token", data={"username": "bob", "password": "nope"})
        unknown = await client.post("/token", data={"username": "zed", "password": "nope"})
    for answer in (wrong, unknown):
        assert_envelope(answer, 401, "UNAUTHORIZED", "Incorrect username or password")
        assert answer.headers["www-authenticate"] == "Bearer"


async def test_non_admin_is_403(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        token = await token_for(client, "bob", "bob-password")
        response = await client.delete("/admin/users/1", headers=bearer(token))
    assert_envelope(response, 403, "FORBIDDEN", "Requires role(s): admin")


async def test_limit_above_50_is_400(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get("/items", params={"limit": 51})
    assert_envelope(response, 400, "BAD_REQUEST", "limit cannot exceed 50")


async def test_rate_limit_counts_invalid_requests_and_sets_retry_after(tmp_path: Path) -> None:
    async with client_for(tmp_path, rate_limit_max_requests=3) as client:
        statuses = [
            (await client.get("/items", params={"limit": value})).status_code
            for value in (0, 51, 10)
        ]
        limited = await client.get("/items")
    assert statuses == [422, 400, 200]
    assert_envelope(limited, 429, "RATE_LIMITED", "Too many requests")
    assert int(limited.headers["retry-after"]) >= 1


async def test_rate_limit_is_per_client(tmp_path: Path) -> None:
    async with client_for(tmp_path, host="10.0.0.1", rate_limit_max_requests=1) as first:
        assert (await first.get("/items")).status_code == 200
        assert (await first.get("/items")).status_code == 429
        transport = httpx.ASGITransport(first._transport.app, client=("10.0.0.2", 1))  # type: ignore[attr-defined]
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as second:
            assert (await second.get("/items")).status_code == 200


@pytest.mark.parametrize("path", ["/v1/nope", "/v2/items/not-a-number"])
async def test_sub_apps_use_the_envelope(tmp_path: Path, path: str) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get(path)
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"error_code", "message", "details"}
    assert response.headers["x-frame-options"] == "DENY"


async def test_rfc9457_problem_details(tmp_path: Path) -> None:
    async with client_for(tmp_path, error_envelope="rfc9457") as client:
        missing = await client.get("/nope")
        invalid = await client.post("/items", json={"name": "x"})
        crash = await client.get("/orders/user/1", params={"fail": "true"})
        sub_app = await client.get("/v1/nope")
    for response, status, title in (
        (missing, 404, "Not Found"),
        (invalid, 422, HTTPStatus(422).phrase),
        (crash, 500, "Internal Server Error"),
        (sub_app, 404, "Not Found"),
    ):
        assert response.status_code == status
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["type"] == "about:blank"
        assert body["status"] == status
        assert body["title"] == title
        assert isinstance(body["detail"], str)
    assert invalid.json()["errors"][0]["loc"] == ["body", "price"]
