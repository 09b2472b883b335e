"""MW-01..06: security headers, request id, access log, CORS."""

from __future__ import annotations

import logging
import re
import uuid
from pathlib import Path

import anyio
import pytest
from refapp_support import SECURITY_HEADERS, client_for

pytestmark = pytest.mark.anyio

PREFLIGHT = {"Access-Control-Request-Method": "GET"}


@pytest.mark.parametrize(
    "path",
    [
        "/health",
        "/nope",
        "/docs",
        "/openapi.json",
        "/v1/items/1",
        "/v2/docs",
        "/stream/data?max_events=2&interval=0",
    ],
)
async def test_security_headers_everywhere(tmp_path: Path, path: str) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, (path, name)


@pytest.mark.parametrize("origin", ["http://localhost:3000", "http://evil.example"])
async def test_preflight_has_security_headers_and_request_id(tmp_path: Path, origin: str) -> None:
    async with client_for(tmp_path) as client:
        response = await client.options("/items", headers={"Origin": origin, **PREFLIGHT})
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["x-request-id"]


async def test_cors_allows_only_configured_origins(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        good = await client.options(
            "/items", headers={"Origin": "http://localhost:3000", **PREFLIGHT}
        )
        simple = await client.get("/health", headers={"Origin": "http://localhost:3000"})
        bad = await client.options("/items", headers={"Origin": "http://evil.example", **PREFLIGHT})
        bad_simple = await client.get("/health", headers={"Origin": "http://evil.example"})
    assert good.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert simple.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "access-control-allow-origin" not in bad.headers
    assert "access-control-allow-origin" not in bad_simple.headers
    assert bad.json()["error_code"] == "BAD_REQUEST"


async def test_client_request_id_is_echoed(tmp_path: Path) -> None:
    async with client_for(tmp_path) as client:
        response = await client.get("/request-context/7", headers={"X-Request-ID": "abc-1.2_3"})
    assert response.headers["x-request-id"] == "abc-1.2_3"
    assert response.json() == {"item_id": 7, "request_id": "abc-1.2_3"}


@pytest.mark.parametrize(
    "sent", [None, "x" * 129, "bad id", "a\u00e9b".encode("latin-1"), "a/b", "", "a\tb"]
)
async def test_missing_or_unsafe_request_id_is_replaced(
    tmp_path: Path, sent: str | bytes | None
) -> None:
    headers: dict[str, str | bytes] = {} if sent is None else {"X-Request-ID": sent}
    async with client_for(tmp_path) as client:
        response = await client.get("/request-context/1", headers=headers)
    returned = response.headers["x-request-id"]
    assert returned != sent
    assert uuid.UUID(returned).version == 4
    assert response.json()["request_id"] == returned


async def test_request_id_does_not_bleed_under_concurrency(tmp_path: Path) -> None:
    results: dict[str, tuple[str, str]] = {}
    async with client_for(tmp_path) as client:

        async def call(index: int) -> None:
            sent = f"req-{index}"
            response = await client.get(f"/request-context/{index}", headers={"X-Request-ID": sent})
            results[sent] = (response.headers["x-request-id"], response.json()["request_id"])

        async with anyio.create_task_group() as group:
            for index in range(60):
                group.start_soon(call, index)
    assert all(header == body == sent for sent, (header, body) in results.items())
    assert len(results) == 60


ACCESS_LINE = re.compile(r"^(\S+) ([A-Z]+) (\S+) (\d{3}) (\d+\.\d)ms$")


async def test_one_access_log_line_per_request(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="reference_app.access")
    async with client_for(tmp_path, host="10.9.8.7") as client:
        caplog.clear()
        await client.get("/health")
        await client.get("/nope")
        await client.get("/orders/user/1", params={"fail": "true"})
        await client.get("/stream/data", params={"max_events": 3, "interval": 0})
    lines = [r.getMessage() for r in caplog.records if r.name == "reference_app.access"]
    assert all(
        r.levelno == logging.INFO for r in caplog.records if r.name == "reference_app.access"
    )
    parsed = [ACCESS_LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [m.groups()[:4] for m in parsed if m] == [
        ("10.9.8.7", "GET", "/health", "200"),
        ("10.9.8.7", "GET", "/nope", "404"),
        ("10.9.8.7", "GET", "/orders/user/1", "500"),
        ("10.9.8.7", "GET", "/stream/data", "200"),
    ]


async def test_access_log_uses_configured_logger(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="custom.access")
    async with client_for(tmp_path, access_log_logger="custom.access") as client:
        caplog.clear()
        await client.get("/health")
    assert [r.name for r in caplog.records if "/health" in r.getMessage()] == ["custom.access"]


async def test_control_characters_in_path_are_escaped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="reference_app.access")
    async with client_for(tmp_path) as client:
        caplog.clear()
        await client.get("/x%0Afake 200")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "reference_app.access"]
    assert "\n" not in line and "\\x0a" in line
