"""LIFE-03 end to end: `python -m reference_app serve` as a real process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from refapp_support import JWT_SECRET, SECRET

STARTUP_TIMEOUT = 20.0


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "JWT_SECRET_KEY")}
    env.pop("DATABASE_URL", None)
    env.update(values)
    return env


def _serve(cwd: Path, env: dict[str, str], port: int = 1) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "reference_app", "serve", "--port", str(port)]
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"JWT_SECRET_KEY": JWT_SECRET}, "SECRET_KEY is missing"),
        ({"SECRET_KEY": SECRET}, "JWT_SECRET_KEY is missing"),
        ({"SECRET_KEY": SECRET, "JWT_SECRET_KEY": "too-short"}, "JWT_SECRET_KEY is too short"),
    ],
    ids=["no-secret-key", "no-jwt-key", "short-jwt-key"],
)
def test_refuses_to_start_naming_the_variable(
    values: dict[str, str], named: str, tmp_path: Path
) -> None:
    process = _serve(tmp_path, _env(**values))
    _, err = process.communicate(timeout=STARTUP_TIMEOUT)
    assert process.returncode != 0
    assert err.count("\n") == 1 and named in err, err
    assert "Traceback" not in err and "too-short" not in err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_dotenv_in_the_working_directory_is_enough(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"SECRET_KEY={SECRET}\nJWT_SECRET_KEY={JWT_SECRET}\n"
        f"DATABASE_URL=sqlite+aiosqlite:///{tmp_path / 'dotenv.db'}\n"
    )
    port = _free_port()
    process = _serve(tmp_path, _env(), port)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            assert process.poll() is None, process.communicate()[1]
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1.0)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(0.1)
        assert response.json() == {"status": "ok"}
    finally:
        process.terminate()
        process.communicate(timeout=STARTUP_TIMEOUT)
