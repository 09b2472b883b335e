"""The target as checks see it: clients with their own identity, WebSocket sessions."""

from __future__ import annotations

import contextlib
import ipaddress
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import httpx

from pytest_conformance.observation.observer import (
    mark_envelope_judged,
    mark_unsearched,
    mark_unvalidated,
)
from pytest_conformance.profile.sections import Profile
from pytest_conformance.target_model import TargetModel
from pytest_conformance.targets.app_errors import AppErrors
from pytest_conformance.targets.backends import Backend, shared_ssl_context
from pytest_conformance.targets.bounded import BoundedTransport, TargetHealth
from pytest_conformance.targets.websocket import WebSocketSession

Mode = Literal["app", "url", "serve"]


def new_identity() -> str:
    """A client address of its own (10.0.0.0/8), so rate-limit budgets never leak between checks."""
    return str(ipaddress.IPv4Address((10 << 24) | secrets.randbits(24)))


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

    def __init__(self, spec: TargetSpec, profile: Profile, backend: Backend) -> None:
        self.spec = spec
        self.profile = profile
        self.backend = backend
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
        return self.backend.base_url

    @property
    def app(self) -> Any:
        """The ASGI app object, when this process imported it (``--target-app`` and
        ``--target-serve``); None for a URL. Only in-process targets run this very object."""
        return self.backend.app

    @property
    def app_errors(self) -> AppErrors | None:
        """What the app raised after answering (DI-04), when it runs in this process."""
        return self.backend.errors

    @property
    def warning(self) -> str | None:
        """Something the run should say once (the app does not support the lifespan)."""
        return self.backend.lifespan_warning

    @property
    def logs_visible(self) -> bool:
        """Whether the target's log records reach this process's logging (in-process, thread)."""
        return self.backend.logs_visible

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
        hooks = dict(kwargs.pop("event_hooks", None) or {})
        watched = self.response_hooks if observed else []
        hooks["response"] = [*watched, *hooks.get("response", [])]
        if not validate:
            hooks["request"] = [mark_unvalidated, *hooks.get("request", [])]
        if not search_secrets:
            hooks["request"] = [mark_unsearched, *hooks.get("request", [])]
        if envelope_judged:
            hooks["request"] = [mark_envelope_judged, *hooks.get("request", [])]
        headers = {
            **self.profile.headers,
            **self.backend.identity_headers(identity),
            **kwargs.pop("headers", {}),
        }
        transport = self.backend.transport(identity, kwargs.pop("verify", shared_ssl_context()))
        return httpx.Client(
            base_url=self.base_url,
            headers=headers,
            timeout=httpx.Timeout(self.profile.timeouts.request),
            transport=self._bounded(transport),
            event_hooks=hooks,
            **kwargs,
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
        with self.backend.websocket(
            path,
            identity=identity or new_identity(),
            headers={**self.profile.headers, **(headers or {})},
            timeout=self.profile.timeouts.stream,
        ) as session:
            yield session

    def close(self) -> None:
        """Stop the app (once: the fixture and the session's cleanup both ask)."""
        if self._closed:
            return
        self._closed = True
        self.backend.stop()
