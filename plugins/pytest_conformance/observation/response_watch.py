"""Every response a check receives is judged (OAS-06, LIFE-02, ERR-07) when its phase ends.

``ResponseWatch`` is the session's state: the observer hooked into every client of the
target, the secrets, the OpenAPI document (fetched once per process, on first need,
through a client that is not observed) and the ledger of findings. ``WatchHooks`` wraps
each check's setup, call and teardown: what the phase received is judged when it ends and
noted in the ledger — never failing the check that happened to receive it; the findings
are reported under their own IDs (``findings_items.py``). A document that cannot be used
fails no check either: the OAS-06 check of the suite fails on it, and the terminal
summary names the problem.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Generator
from typing import Any
from urllib.parse import urlsplit

import pytest

from pytest_conformance.envelopes import shapes_of
from pytest_conformance.identity import info_of
from pytest_conformance.observation.findings import ENVELOPE, OAS, SECRETS, Ledger, Sighting
from pytest_conformance.observation.observer import Observation, Observer
from pytest_conformance.observation.response_validation import (
    Violation,
    check_response,
    check_secrets,
    decoded_body,
    excerpt,
)
from pytest_conformance.observation.secret_search import configured_secrets
from pytest_conformance.profile.sections import Profile
from pytest_conformance.target_model.openapi_document import DocumentError, OpenAPIDocument
from pytest_conformance.targets.target import Target

WATCH_PLUGIN = "conformance-response-watch"


class DocumentUnavailable(AssertionError):
    """Response validation is on, but the target's OpenAPI document cannot be used."""


class ResponseWatch:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.secrets = configured_secrets(profile)
        self.observer = Observer(tuple(secret.value for secret in self.secrets))
        self.validating = profile.openapi.validate_responses and profile.capabilities.openapi
        self._target: Target | None = None
        self._document: OpenAPIDocument | None = None
        self._sub_documents: list[OpenAPIDocument] = []
        self._problem: str | None = None
        self._lock = threading.Lock()
        self.ledger = Ledger()

    def attach(self, target: Target) -> None:
        """Observe every client the target hands out from now on."""
        self._target = target
        target.response_hooks.append(self.observer.hook)

    @property
    def base_path(self) -> str:
        return urlsplit(self._target.base_url).path.rstrip("/") if self._target else ""

    @property
    def problem(self) -> str | None:
        """Why the document cannot be used, once a fetch was tried and failed."""
        return self._problem

    def document(self) -> OpenAPIDocument:
        """The document; ``DocumentUnavailable`` says why not."""
        document = self._load()
        if document is None:
            raise DocumentUnavailable(self._problem)
        return document

    def _load(self) -> OpenAPIDocument | None:
        with self._lock:
            if self._document is None and self._problem is None:
                try:
                    self._document = self._fetch(self.profile.paths.openapi)
                    self._sub_documents = self._fetch_sub_documents()
                except DocumentError as error:
                    path = self.profile.paths.openapi
                    self._problem = (
                        f"OAS-06 the target's OpenAPI document (GET {path}) cannot be used, "
                        f"so no response is validated against it: {error}\n"
                        "  hint: set [paths] openapi to where the target serves its document, "
                        "or [openapi] validate_responses = false for a target without one"
                    )
            return self._document

    def _fetch_sub_documents(self) -> list[OpenAPIDocument]:
        """The sub-apps' own documents; one that cannot be used is VER-02's finding."""
        if not self.profile.capabilities.sub_apps:
            return []
        found = []
        for path in self.profile.openapi.sub_app_documents:
            with contextlib.suppress(DocumentError):
                found.append(self._fetch(path))
        return found

    def _fetch(self, path: str) -> OpenAPIDocument:
        if self._target is None:
            raise DocumentError("no target is running")
        try:
            with self._target.client(observed=False) as client:  # not a check's response
                response = client.get(path)
        except Exception as error:  # httpx's errors, or a target already stopped
            raise DocumentError(f"{type(error).__name__}: {error}") from None
        if response.status_code != 200:
            raise DocumentError(f"status {response.status_code}, expected 200")
        try:
            data = response.json()
        except ValueError as error:
            raise DocumentError(f"the body is not JSON ({error})") from None
        if not isinstance(data, dict):
            raise DocumentError("the body is not a JSON object")
        try:
            return OpenAPIDocument(data)
        except DocumentError:
            raise
        except Exception as error:  # the schema library refused it
            raise DocumentError(f"{type(error).__name__}: {error}") from None

    def record(self, observations: list[Observation]) -> None:
        """Judge what a phase received and note it in the ledger; fails no check."""
        if not observations:
            return
        document = self._load() if self.profile.capabilities.openapi else None
        if document is None and self.validating and self._problem:
            self.ledger.problems.setdefault(OAS, self._problem)
        base_path = self.base_path
        for seen in observations:
            described = self._documenting(document, seen) if document is not None else None
            found = described.find(seen.method, seen.path, base_path) if described else None
            if found is not None:
                operation = found.name
            elif document is not None:
                operation = f"{seen.method} (a path the document does not declare)"
            else:
                operation = f"{seen.method} {seen.path}"
            if self.secrets and seen.search:
                self.ledger.look(SECRETS)
                violation = check_secrets(seen, self.secrets, operation)
                if violation is not None:
                    self._note(violation, seen, body=False)
            if self.validating and described is not None and seen.validate:
                self.ledger.look(OAS)
                violation = check_response(described, seen, base_path)
                if violation is not None:
                    self._note(violation, seen)
            self._note_error_answer(seen, operation)

    def _note(self, violation: Violation, seen: Observation, *, body: bool = True) -> None:
        head = violation.message.splitlines()[0]
        self.ledger.add(
            Sighting(
                violation.id,
                violation.operation,
                violation.status,
                violation.kind,
                message=self._redact(violation.message),
                example=self._example(seen, head, body=body),
            )
        )

    def _note_error_answer(self, seen: Observation, operation: str) -> None:
        """ERR-07's material: an error answer with a body, read whole, and its shapes.

        A refused CORS preflight is left out: the browser turns it into a network error
        and no client ever reads its body (the Fetch standard's CORS-preflight fetch);
        Starlette's CORS middleware answers it in plain text whatever the app's envelope.
        So is an answer whose envelope the receiving check judges itself (ERR-01's
        provoked situations, VER-04): one finding, one place.
        """
        if seen.status < 400 or seen.preflight or seen.envelope_judged:
            return
        body = decoded_body(seen)
        if not body:
            return
        self.ledger.look(ENVELOPE)
        shapes = shapes_of(seen.headers.get("content-type", ""), body)
        example = self._example(seen, f"{ENVELOPE} {operation}: error answer {seen.status}")
        message = f"  request:  {seen.method} {seen.url}\n  body:     " + self._redact(
            excerpt(body)
        )
        self.ledger.add(
            Sighting(ENVELOPE, operation, seen.status, " | ".join(shapes), 1, message, example)
        )

    def _example(self, seen: Observation, what: str, *, body: bool = True) -> dict[str, Any]:
        """The instance as ``ConformanceFailure.as_dict()`` writes a failure (secrets hidden)."""
        headers = [[name, self._redact(value)] for name, value in seen.headers.multi_items()]
        shown = self._redact(excerpt(bytes(seen.body))) if body else "<not shown>"
        return {
            "what": what,
            "expected": "",
            "request": {"method": seen.method, "url": str(seen.url), "path": seen.path},
            "received": {
                "status": seen.status,
                "headers": headers if body else [],
                "body": shown,
                "body_length": len(seen.body),
            },
            "messages": None,
            "hint": None,
            "reference": None,
        }

    def _redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret.value.decode("utf-8", "replace"), "<secret>")
        return text

    def _documenting(self, root: OpenAPIDocument, seen: Observation) -> OpenAPIDocument:
        """The document describing ``seen``'s path: the root's, else a sub-app's."""
        if not self._sub_documents:
            return root
        base_path = self.base_path
        if root.find(seen.method, seen.path, base_path) is not None:
            return root
        for document in self._sub_documents:
            if document.find(seen.method, seen.path, base_path) is not None:
                return document
        return root


class WatchHooks:
    """The phase wrappers; registered by the plugin as ``WATCH_PLUGIN``."""

    def __init__(self, watch: ResponseWatch) -> None:
        self.watch = watch

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        return (yield from self._phase(item))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        return (yield from self._phase(item))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, None, None]:
        return (yield from self._phase(item))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.watch.problem and self.watch.validating:  # this process's document problem
            terminalreporter.write_line(self.watch.problem.splitlines()[0], yellow=True)

    def _phase(self, item: pytest.Item) -> Generator[None, None, None]:
        """What the phase received is judged when it ends, whatever the check did."""
        try:
            return (yield)
        finally:
            observations = self.watch.observer.drain()
            if info_of(item) is not None:
                self.watch.record(observations)
