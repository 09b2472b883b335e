"""The target as checks see it: clients with their own identity, WebSocket sessions."""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import secrets
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from pytest_conformance.app_errors import AppErrors
from pytest_conformance.bounded import BoundedTransport, TargetHealth
from pytest_conformance.in_process import InProcessApp
from pytest_conformance.observation import (
    mark_envelope_judged,
    mark_unsearched,
    mark_unvalidated,
)
from pytest_conformance.profile import Profile
from pytest_conformance.served import ServedApp
from pytest_conformance.target_model import TargetModel
from pytest_conformance.websocket import WebSocketSession, in_process_session, network_session

Mode = Literal["app", "url", "serve"]
IN_PROCESS_BASE_URL = "http://testserver"


def new_identity() -> str:
    """A client address of its own (10.0.0.0/8), so rate-limit budgets never leak between checks."""
    return str(ipaddress.IPv4Address((10 << 24) | secrets.randbits(24)))


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for every client: building one costs ~20 ms per client."""
    return httpx.create_ssl_context()


@dataclass
class TargetSpec:
    """Which target was asked for, and where the setting came from (for the report header)."""

    mode: Mode
    value: str
    source: str

    def describe(self) -> str:
        option = {"app": "--target-app", "url": "--target-url", "serve": "--target-serve"}[
            self.mode
        ]
        return f"{option}={self.value} (from {self.source})"


class Target:
    """A started target. ``client()`` gives an ``httpx.Client`` with a client identity."""

    def __init__(
        self,
        spec: TargetSpec,
        profile: Profile,
        *,
        in_process: InProcessApp | None = None,
        served: ServedApp | None = None,
    ) -> None:
        self.spec = spec
        self.profile = profile
        self._in_process = in_process
        self._served = served
        # httpx response event hooks added to every client (the plugin's response watch)
        self.response_hooks: list[Callable[[httpx.Response], None]] = []
        self.health = TargetHealth(profile.timeouts.unresponsive_after)
        self._closed = False
        # the target model's reader, installed by the plugin (it is built from the document
        # on first need); None: nobody can tell what the target declares
        self.model_reader: Callable[[], TargetModel | str] | None = None

    def model(self) -> TargetModel | None:
        """What the target's document declares; None without a usable document."""
        found = self.model_reader() if self.model_reader is not None else None
        return found if isinstance(found, TargetModel) else None

    @property
    def mode(self) -> Mode:
        return self.spec.mode

    @property
    def base_url(self) -> str:
        if self._in_process is not None:
            return IN_PROCESS_BASE_URL
        if self._served is not None:
            return self._served.base_url
        return self.spec.value.rstrip("/")

    @property
    def app(self) -> Any:
        """The ASGI app object, when this process imported it (``--target-app`` and
        ``--target-serve``); None for a URL. Only in-process targets run this very object."""
        if self._in_process is not None:
            return self._in_process.raw_app
        if self._served is not None:
            return self._served.app
        return None

    @property
    def app_errors(self) -> AppErrors | None:
        """What the app raised after answering (DI-04), when it runs in this process."""
        if self._in_process is not None:
            return self._in_process.errors
        if self._served is not None:
            return self._served.errors
        return None

    @property
    def warning(self) -> str | None:
        """Something the run should say once (the app does not support the lifespan)."""
        if self._in_process is not None:
            return self._in_process.lifespan_warning
        if self._served is not None:
            return self._served.lifespan_warning
        return None

    @property
    def logs_visible(self) -> bool:
        """Whether the target's log records reach this process's logging (in-process, thread)."""
        if self._in_process is not None:
            return True
        return self._served is not None and self._served.logs_visible

    def client(
        self,
        identity: str | None = None,
        *,
        validate: bool = True,
        search_secrets: bool = True,
        envelope_judged: bool = False,
        observed: bool = True,
        **kwargs: Any,
    ) -> httpx.Client:
        """A new client; ``identity`` is the client address the target should see.

        ``validate=False``: its answers are provoked by the check itself (a dependency
        override, say) or judged elsewhere (the fuzz area's FUZZ-02), and are not judged
        against the OpenAPI document (OAS-06). ``search_secrets=False``: their secrets are
        searched elsewhere (the fuzz area's FUZZ-03), not by LIFE-02. Every other observed
        error answer is ERR-07's, unless ``envelope_judged=True``: the check provokes error
        answers and judges their envelope itself (ERR-01's situations, VER-04), so they are
        its findings, not ERR-07's too. ``observed=False``: its answers bypass the plugin's
        response watch entirely (the watch's own requests, account set-up).
        """
        identity = identity or new_identity()
        timeout = httpx.Timeout(self.profile.timeouts.request)
        hooks = dict(kwargs.pop("event_hooks", None) or {})
        watched = self.response_hooks if observed else []
        hooks["response"] = [*watched, *hooks.get("response", [])]
        if not validate:
            hooks["request"] = [mark_unvalidated, *hooks.get("request", [])]
        if not search_secrets:
            hooks["request"] = [mark_unsearched, *hooks.get("request", [])]
        if envelope_judged:
            hooks["request"] = [mark_envelope_judged, *hooks.get("request", [])]
        kwargs["event_hooks"] = hooks
        if self._in_process is not None:
            return httpx.Client(
                base_url=self.base_url,
                transport=self._bounded(self._in_process.transport((identity, 50000))),
                timeout=timeout,
                **kwargs,
            )
        headers = {"X-Forwarded-For": identity, **kwargs.pop("headers", {})}
        verify = kwargs.pop("verify", shared_ssl_context())
        transport = self._bounded(httpx.HTTPTransport(verify=verify))
        return httpx.Client(
            base_url=self.base_url, headers=headers, timeout=timeout, transport=transport, **kwargs
        )

    def _bounded(self, transport: httpx.BaseTransport) -> httpx.BaseTransport:
        return BoundedTransport(
            transport,
            total=self.profile.timeouts.total,
            max_bytes=self.profile.limits.body,
            health=self.health,
        )

    @contextlib.contextmanager
    def websocket(
        self,
        path: str,
        *,
        identity: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Iterator[WebSocketSession]:
        """A WebSocket session; raises ``WebSocketRefused`` when the handshake is refused."""
        identity = identity or new_identity()
        timeout = self.profile.timeouts.stream
        if self._in_process is not None:
            with in_process_session(
                self._in_process.portal,
                self._in_process.app,
                path,
                client=(identity, 50000),
                headers=dict(headers or {}),
                timeout=timeout,
            ) as session:
                yield session
            return
        with network_session(
            self.base_url,
            path,
            headers={"X-Forwarded-For": identity, **(headers or {})},
            timeout=timeout,
        ) as session:
            yield session

    def close(self) -> None:
        """Stop the app (once: the fixture and the session's cleanup both ask)."""
        if self._closed:
            return
        self._closed = True
        if self._in_process is not None:
            self._in_process.stop()
        if self._served is not None:
            self._served.stop()
