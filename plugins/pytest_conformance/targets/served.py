"""The served target: the app under uvicorn on a free loopback port, over real sockets.

In a thread of this process by default (its access log is then visible to the suite),
or in a subprocess. Proxy headers are trusted from loopback only, so the suite can give
each check its own client address with ``X-Forwarded-For``.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import re
import socket
import subprocess
import sys
import threading
import time
from typing import Any, Literal

import httpx
import uvicorn

from pytest_conformance.targets.app_errors import AppErrors, recording
from pytest_conformance.targets.in_process import TargetStartupError, lifespan_unsupported
from pytest_conformance.targets.lifespan_shim import APP_VARIABLE, UNSUPPORTED, LifespanShim

LOOPBACK = "127.0.0.1"
_EXCEPTION_LINE = re.compile(r"^(?!(?:INFO|ERROR|WARNING|DEBUG|CRITICAL):)[A-Za-z_][\w.]*: \S")


class _ServerLog:
    """The last lines the server logged, to say why it stopped during startup.

    In a thread: uvicorn's error records (pytest's log capture would otherwise swallow
    them when the run exits). In a subprocess: its stderr, passed through unchanged.
    """

    def __init__(self) -> None:
        self.lines: collections.deque[str] = collections.deque(maxlen=200)

    def add(self, text: str) -> None:
        self.lines.extend(text.splitlines())

    def says(self, fragment: str) -> bool:
        return any(fragment in line for line in self.lines)

    def reason(self) -> str:
        """The last ``SomeError: message`` line (a traceback's last line), or ''."""
        found = [line for line in self.lines if _EXCEPTION_LINE.match(line)]
        return found[-1].strip() if found else ""


class _LogHandler(logging.Handler):
    def __init__(self, log: _ServerLog) -> None:
        super().__init__(logging.ERROR)
        self._log = log
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            self._log.add(self.format(record))


def _bound_socket() -> socket.socket:
    # TCP named as the protocol, and TCP_NODELAY, which Linux hands on to every accepted
    # connection: asyncio sets TCP_NODELAY only on sockets whose ``proto`` says TCP, and
    # uvicorn's ``--fd`` socket says nothing. Without it every answer written in two parts
    # (headers, then body) waited for the client's delayed ACK: ~40 ms, most of what served
    # mode cost beyond in-process.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((LOOPBACK, 0))
    sock.set_inheritable(True)
    return sock


def _wait_until_ready(
    base_url: str, deadline: float, alive: Any, started: Any, log: _ServerLog
) -> None:
    """The server says it started, or any HTTP answer came; refused connections mean not yet.

    A status line and headers are enough: the body is never read (it may never end). An app
    that never answers is ready once uvicorn has started it: its checks then fail, fast.
    """
    with httpx.Client(timeout=1.0) as client:
        while time.monotonic() < deadline:
            if not alive():
                time.sleep(0.1)  # let the last lines of the server's log arrive
                reason = log.reason() or "see the server's log"
                raise TargetStartupError(f"the server stopped during startup: {reason}")
            if started():
                return
            with contextlib.suppress(httpx.TransportError), client.stream("GET", base_url + "/"):
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
        self._log = _ServerLog()
        self._log_handler: _LogHandler | None = None
        self._stderr_thread: threading.Thread | None = None
        self.lifespan_warning: str | None = None
        self._shim: LifespanShim | None = None
        # what the app raised after answering (DI-04); None when it runs in a subprocess
        self.errors: AppErrors | None = AppErrors() if self.mode == "thread" else None

    @property
    def app(self) -> Any:
        """The app object this process imported (in a subprocess, the server has its own)."""
        return self._app

    @property
    def logs_visible(self) -> bool:
        return self.mode == "thread"

    def start(self) -> None:
        deadline = time.monotonic() + self._startup_timeout
        if self.mode == "thread":
            self._start_thread()
            alive, started = self._thread_alive, self._thread_started
        else:
            self._start_subprocess()
            alive, started = self._process_alive, self._process_started
        try:
            _wait_until_ready(self.base_url, deadline, alive, started, self._log)
        except BaseException:
            self.stop()
            raise
        else:
            self.lifespan_warning = self._lifespan_unsupported()
        finally:
            if self._log_handler is not None:
                logging.getLogger("uvicorn.error").removeHandler(self._log_handler)
                self._log_handler = None

    def _lifespan_unsupported(self) -> str | None:
        """The warning if the app does not support the lifespan (the shim said so)."""
        if self._shim is not None:
            error = self._shim.unsupported
            return lifespan_unsupported(error) if error is not None else None
        give_up = time.monotonic() + 1.0  # the shim logs it before "Uvicorn running on"
        while time.monotonic() < give_up and not self._log.says("Uvicorn running on"):
            time.sleep(0.02)
        found = [line for line in self._log.lines if UNSUPPORTED in line]
        if not found:
            return None
        raised = found[-1].partition(UNSUPPORTED)[2].strip()
        return lifespan_unsupported(None).replace(" protocol;", f" protocol {raised};", 1)

    def _thread_started(self) -> bool:
        return self._server is not None and self._server.started

    def _process_started(self) -> bool:
        return self._log.says("Uvicorn running on")

    def _start_thread(self) -> None:
        assert self.errors is not None  # a thread's app is this process's
        self.errors.attach()
        self._shim = LifespanShim(recording(self._app, self.errors))
        config = uvicorn.Config(
            self._shim,
            log_config=None,
            proxy_headers=True,
            forwarded_allow_ips=LOOPBACK,
            lifespan="on",
            timeout_graceful_shutdown=max(1, round(self._shutdown_timeout)),
        )
        self._server = uvicorn.Server(config)
        self._log_handler = _LogHandler(self._log)
        logging.getLogger("uvicorn.error").addHandler(self._log_handler)
        self._thread = threading.Thread(
            target=self._run_server,
            name="conformance-target",
            daemon=True,
        )
        self._thread.start()

    def _run_server(self) -> None:
        assert self._server is not None
        with contextlib.suppress(SystemExit):  # uvicorn exits on a failed startup; we report it
            self._server.run(sockets=[self._socket])

    def _thread_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _start_subprocess(self) -> None:
        fd = self._socket.fileno()
        command = [
            sys.executable, "-m", "uvicorn", "pytest_conformance.targets.lifespan_shim:factory",
            "--factory", "--lifespan", "on",
            "--fd", str(fd),
            "--proxy-headers", "--forwarded-allow-ips", LOOPBACK,
            "--timeout-graceful-shutdown", str(int(self._shutdown_timeout)),
        ]  # fmt: skip
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in [os.getcwd(), *sys.path] if p)
        env[APP_VARIABLE] = self._spec
        self._process = subprocess.Popen(command, pass_fds=(fd,), env=env, stderr=subprocess.PIPE)
        self._stderr_thread = threading.Thread(
            target=self._pass_stderr_through, args=(self._process,), daemon=True
        )
        self._stderr_thread.start()

    def _pass_stderr_through(self, process: subprocess.Popen[bytes]) -> None:
        """Forward the server's stderr to ours unchanged, keeping its tail for errors."""
        assert process.stderr is not None
        with process.stderr as stderr:
            for line in stderr:
                self._log.add(line.decode(errors="replace"))
                with contextlib.suppress(OSError):
                    os.write(2, line)

    def _process_alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        if self.errors is not None:
            self.errors.detach()
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
        if self._stderr_thread is not None:
            self._stderr_thread.join(5)  # it closes the pipe at the server's end of output
        self._socket.close()
