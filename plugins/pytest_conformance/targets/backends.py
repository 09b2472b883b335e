"""The three ways to reach a target, behind one protocol and one place that picks among them.

``--target-app`` runs the app in this process (:class:`InProcessBackend`),
``--target-serve`` serves the imported app with uvicorn (:class:`ServedBackend`) and
``--target-url`` talks to a running server (:class:`RemoteBackend`). :func:`start_backend`
is the only code that switches on the mode; :class:`~pytest_conformance.targets.target.Target`
asks its backend and never branches on it.
"""

from __future__ import annotations

import contextlib
import functools
import ssl
from collections.abc import Callable, Iterator
from typing import Any, Literal, Protocol

import httpx

from pytest_conformance.targets.app_errors import AppErrors
from pytest_conformance.targets.fresh_after_error import FreshAfterError
from pytest_conformance.targets.in_process import InProcessApp
from pytest_conformance.targets.served import ServedApp
from pytest_conformance.targets.websocket import (
    WebSocketSession,
    in_process_session,
    network_session,
)

IN_PROCESS_BASE_URL = "http://testserver"
# a client address must come with a port in ASGI's scope; which one does not matter
CLIENT_PORT = 50000


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for every client: building one costs ~20 ms per client."""
    return httpx.create_ssl_context()


class Backend(Protocol):
    """A started target as the suite reaches it."""

    base_url: str

    @property
    def app(self) -> Any:
        """The ASGI app this process imported; None for a URL."""

    @property
    def errors(self) -> AppErrors | None:
        """What the app raised after answering (DI-04), when it runs in this process."""

    @property
    def lifespan_warning(self) -> str | None:
        """Something the run should say once (the app does not support the lifespan)."""

    @property
    def logs_visible(self) -> bool:
        """Whether the app's log records reach this process's logging."""

    def transport(self, identity: str, verify: ssl.SSLContext | bool) -> httpx.BaseTransport:
        """A transport on which the target sees the client address ``identity``."""

    def identity_headers(self, identity: str) -> dict[str, str]:
        """Headers that tell a network target the client address (none in-process)."""

    def websocket(
        self, path: str, *, identity: str, headers: dict[str, str], timeout: float
    ) -> contextlib.AbstractContextManager[WebSocketSession]:
        """A WebSocket session; raises ``WebSocketRefused`` when the handshake is refused."""

    def stop(self) -> None:
        """Stop what :func:`start_backend` started (nothing for a URL)."""


class InProcessBackend:
    """The app's lifespan and requests on a background event loop of this process."""

    def __init__(self, running: InProcessApp) -> None:
        self.base_url = IN_PROCESS_BASE_URL
        self._running = running

    @property
    def logs_visible(self) -> bool:
        return True

    @property
    def app(self) -> Any:
        return self._running.raw_app

    @property
    def errors(self) -> AppErrors | None:
        return self._running.errors

    @property
    def lifespan_warning(self) -> str | None:
        return self._running.lifespan_warning

    def transport(self, identity: str, verify: ssl.SSLContext | bool) -> httpx.BaseTransport:
        return self._running.transport((identity, CLIENT_PORT))

    def identity_headers(self, identity: str) -> dict[str, str]:
        return {}

    @contextlib.contextmanager
    def websocket(
        self, path: str, *, identity: str, headers: dict[str, str], timeout: float
    ) -> Iterator[WebSocketSession]:
        with in_process_session(
            self._running.portal,
            self._running.app,
            path,
            client=(identity, CLIENT_PORT),
            headers=headers,
            timeout=timeout,
        ) as session:
            yield session

    def stop(self) -> None:
        self._running.stop()


class RemoteBackend:
    """A server the suite did not start: plain HTTP(S), the client address in X-Forwarded-For."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    @property
    def app(self) -> Any:
        return None

    @property
    def errors(self) -> AppErrors | None:
        return None

    @property
    def lifespan_warning(self) -> str | None:
        return None

    @property
    def logs_visible(self) -> bool:
        return False

    def transport(self, identity: str, verify: ssl.SSLContext | bool) -> httpx.BaseTransport:
        return FreshAfterError(lambda: httpx.HTTPTransport(verify=verify))

    def identity_headers(self, identity: str) -> dict[str, str]:
        return {"X-Forwarded-For": identity}

    @contextlib.contextmanager
    def websocket(
        self, path: str, *, identity: str, headers: dict[str, str], timeout: float
    ) -> Iterator[WebSocketSession]:
        with network_session(
            self.base_url,
            path,
            headers={**self.identity_headers(identity), **headers},
            timeout=timeout,
        ) as session:
            yield session

    def stop(self) -> None:
        return None


class ServedBackend(RemoteBackend):
    """The imported app served by uvicorn on a free local port (thread or subprocess)."""

    def __init__(self, served: ServedApp) -> None:
        super().__init__(served.base_url)
        self._served = served

    @property
    def app(self) -> Any:
        return self._served.app

    @property
    def errors(self) -> AppErrors | None:
        return self._served.errors

    @property
    def lifespan_warning(self) -> str | None:
        return self._served.lifespan_warning

    @property
    def logs_visible(self) -> bool:
        return self._served.logs_visible

    def stop(self) -> None:
        self._served.stop()


def start_backend(
    mode: Literal["app", "url", "serve"],
    value: str,
    *,
    load_app: Callable[[], Any],
    startup_timeout: float,
    shutdown_timeout: float,
    serve_in: Literal["thread", "subprocess"] = "thread",
) -> Backend:
    """Start the target ``mode`` names; raises ``TargetStartupError`` saying why it did not."""
    if mode == "url":
        return RemoteBackend(value)
    if mode == "app":
        running = InProcessApp(
            load_app(), startup_timeout=startup_timeout, shutdown_timeout=shutdown_timeout
        )
        running.start()
        return InProcessBackend(running)
    served = ServedApp(
        value,
        load_app(),
        startup_timeout=startup_timeout,
        shutdown_timeout=shutdown_timeout,
        mode=serve_in,
    )
    served.start()
    return ServedBackend(served)
