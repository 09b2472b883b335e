"""A pytest plugin for ``bench/suite_overhead.py``: records every HTTP exchange of a suite run.

Loaded with ``-p exchange_recorder`` (``bench/`` on ``PYTHONPATH``); writes one JSON line
per exchange to ``$BENCH_EXCHANGES_PATH`` when the session ends: the request as sent
(method, URL, headers, body) and how many response bytes the check read.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_conformance import Target

_seen: list[httpx.Response] = []
_lock = threading.Lock()


def _record(response: httpx.Response) -> None:
    with _lock:
        _seen.append(response)


def _body(request: httpx.Request) -> bytes:
    try:
        return request.content
    except httpx.RequestNotRead:  # a streamed upload: the replay sends it empty
        return b""


def _exchange(response: httpx.Response) -> dict[str, Any]:
    request = response.request
    return {
        "method": request.method,
        "url": str(request.url),
        "headers": [[key, value] for key, value in request.headers.multi_items()],
        "body": base64.b64encode(_body(request)).decode("ascii"),
        "status": response.status_code,
        "read": response.num_bytes_downloaded,
    }


@pytest.fixture(scope="session", autouse=True)
def _exchange_recorder(target: Target) -> Iterator[None]:
    target.response_hooks.append(_record)
    yield
    path = Path(os.environ["BENCH_EXCHANGES_PATH"])
    with _lock, path.open("w", encoding="utf-8") as out:
        for response in _seen:
            out.write(json.dumps(_exchange(response)) + "\n")
