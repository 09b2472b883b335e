"""The served target: the app under uvicorn on a free loopback port, over real sockets.

In a thread of this process by default (its access log is then visible to the suite),
or in a subprocess. Proxy headers are trusted from loopback only, so the suite can give
each check its own client address with ``X-Forwarded-For``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from typing import Any, Literal

import httpx
import uvicorn

from pytest_conformance.in_process import TargetStartupError

LOOPBACK = "127.0.0.1"


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, 0))
    sock.set_inheritable(True)
    return sock


def _wait_until_answering(base_url: str, deadline: float, alive: Any) -> None:
    """Any HTTP answer means the server is up; refused connections mean not yet."""
    with httpx.Client(timeout=1.0) as client:
        while time.monotonic() < deadline:
            if not alive():
                raise TargetStartupError("the server stopped during startup (see its log above)")
            with contextlib.suppress(httpx.TransportError):
                client.get(base_url + "/")
                return
            time.sleep(0.05)
    raise TargetStartupError("the server did not answer in time (profile timeouts.startup)")


class ServedApp:
    def __init__(
        self,
        spec: str,
        app: Any,
        *,
        startup_timeout: float,
        shutdown_timeout: float,
        mode: Literal["thread", "subprocess"] = "thread",
    ) -> None:
        self._spec = spec
        self._app = app
        self._startup_timeout = startup_timeout
        self._shutdown_timeout = shutdown_timeout
        self.mode = mode
        self._socket = _bound_socket()
        host, port = self._socket.getsockname()
        self.base_url = f"http://{host}:{port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def logs_visible(self) -> bool:
        return self.mode == "thread"

    def start(self) -> None:
        deadline = time.monotonic() + self._startup_timeout
        if self.mode == "thread":
            self._start_thread()
            alive = self._thread_alive
        else:
            self._start_subprocess()
            alive = self._process_alive
        try:
            _wait_until_answering(self.base_url, deadline, alive)
        except BaseException:
            self.stop()
            raise

    def _start_thread(self) -> None:
        config = uvicorn.Config(
            self._app,
            log_config=None,
            proxy_headers=True,
            forwarded_allow_ips=LOOPBACK,
            lifespan="auto",
            timeout_graceful_shutdown=self._shutdown_timeout,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name="conformance-target",
            daemon=True,
        )
        self._thread.start()

    def _thread_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _start_subprocess(self) -> None:
        fd = self._socket.fileno()
        command = [
            sys.executable, "-m", "uvicorn", self._spec,
            "--fd", str(fd),
            "--proxy-headers", "--forwarded-allow-ips", LOOPBACK,
            "--timeout-graceful-shutdown", str(int(self._shutdown_timeout)),
        ]  # fmt: skip
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in [os.getcwd(), *sys.path] if p)
        self._process = subprocess.Popen(command, pass_fds=(fd,), env=env)

    def _process_alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(self._shutdown_timeout + 2)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(2)
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(self._shutdown_timeout + 2)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(5)
        self._socket.close()
