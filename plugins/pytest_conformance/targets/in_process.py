"""The in-process target: the app's lifespan and its requests in one background event loop."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import anyio
import anyio.abc
import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from asgi_lifespan import LifespanManager, LifespanNotSupported

from pytest_conformance.targets.app_errors import AppErrors, recording
from pytest_conformance.targets.asgi_transport import ASGIApp, StreamingASGITransport
from pytest_conformance.targets.portal_transport import PortalTransport


class TargetStartupError(Exception):
    """The target could not be started; the message says why and what to do."""


def lifespan_unsupported(error: BaseException | None) -> str:
    raised = f" (it raised {type(error).__name__}: {error})" if error is not None else ""
    return (
        f"the app does not support the ASGI lifespan protocol{raised}; the checks run "
        "without its startup and shutdown"
    )


class InProcessApp:
    """Owns the portal thread, the lifespan and the task group that runs app requests."""

    def __init__(self, app: ASGIApp, *, startup_timeout: float, shutdown_timeout: float) -> None:
        self._raw_app = app
        self._startup_timeout = startup_timeout
        self._shutdown_timeout = shutdown_timeout
        self._stack = contextlib.ExitStack()
        self.lifespan_warning: str | None = None
        self.portal: BlockingPortal
        self.app: ASGIApp
        self._task_group: anyio.abc.TaskGroup
        self.errors = AppErrors()  # what the app raised after answering (DI-04)

    @property
    def raw_app(self) -> ASGIApp:
        """The app object as the user's module defines it (``app`` may wrap it)."""
        return self._raw_app

    def start(self) -> None:
        self.errors.attach()
        self._stack.callback(self.errors.detach)
        self.portal = self._stack.enter_context(start_blocking_portal())
        try:
            self.app, self._task_group = self._stack.enter_context(
                self.portal.wrap_async_context_manager(self._running())
            )
        except BaseException:
            self._stack.close()
            raise

    def stop(self) -> None:
        self._stack.close()

    @contextlib.asynccontextmanager
    async def _running(self) -> AsyncIterator[tuple[Any, anyio.abc.TaskGroup]]:
        try:
            manager: LifespanManager | None = LifespanManager(
                self._raw_app,
                startup_timeout=self._startup_timeout,
                shutdown_timeout=self._shutdown_timeout,
            )
            await LifespanManager.__aenter__(manager)  # type: ignore[arg-type]
        except LifespanNotSupported as unsupported:
            manager = None
            self.lifespan_warning = lifespan_unsupported(unsupported.__cause__)
        except TimeoutError:
            raise TargetStartupError(
                f"lifespan startup did not complete within {self._startup_timeout:g} s "
                "(profile timeouts.startup)"
            ) from None
        except Exception as error:
            raise TargetStartupError(
                f"lifespan startup failed: {type(error).__name__}: {error}"
            ) from None
        try:
            async with anyio.create_task_group() as task_group:
                yield (self._raw_app if manager is None else manager.app), task_group
                task_group.cancel_scope.cancel()
        finally:
            if manager is not None:
                await manager.__aexit__(None, None, None)

    def transport(self, client: tuple[str, int]) -> httpx.BaseTransport:
        return PortalTransport(
            self.portal,
            StreamingASGITransport(
                recording(self.app, self.errors), self._task_group, client=client
            ),
        )
