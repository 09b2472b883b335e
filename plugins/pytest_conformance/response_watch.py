"""Every response a check receives is judged (OAS-06, LIFE-02) when its phase ends.

``ResponseWatch`` is the session's state: the observer hooked into every client of the
target, the secrets, and the OpenAPI document (fetched once per process, on first need,
through a client that is not observed). ``WatchHooks`` wraps each check's setup, call and
teardown: what the phase received is judged when it ends, and a violation fails that
phase — attributed to the violated SPEC ID, not to the check (see ``annotate``).
A document that cannot be used fails no receiving check: the OAS-06 check of the suite
fails on it, and the terminal summary names the problem.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import pytest

from pytest_conformance.identity import CheckInfo, info_of
from pytest_conformance.observation import Observation, Observer
from pytest_conformance.openapi_document import DocumentError, OpenAPIDocument
from pytest_conformance.profile import Profile
from pytest_conformance.response_validation import Violation, check_response, check_secrets
from pytest_conformance.secret_search import configured_secrets
from pytest_conformance.target import Target

WATCH_PLUGIN = "conformance-response-watch"


class ResponseViolation(AssertionError):
    """A response broke a rule of its own SPEC ID (the message names the ID)."""


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

    def judge(self, observations: list[Observation]) -> list[Violation]:
        violations = [
            found for seen in observations if (found := check_secrets(seen, self.secrets))
        ]
        if not (self.validating and observations):
            return violations
        document = self._load()
        if document is None:
            return violations  # the OAS-06 check fails, and the summary says so
        base_path = self.base_path
        for seen in observations:
            found = check_response(self._documenting(document, seen), seen, base_path)
            if found is not None:
                violations.append(found)
        return violations

    def _documenting(self, root: OpenAPIDocument, seen: Observation) -> OpenAPIDocument:
        """The document describing ``seen``'s path: the root's, else a sub-app's."""
        if not self._sub_documents:
            return root  # no second lookup: check_response finds the operation itself
        base_path = self.base_path
        if root.find(seen.method, seen.path, base_path) is not None:
            return root
        for document in self._sub_documents:
            if document.find(seen.method, seen.path, base_path) is not None:
                return document
        return root


OwnOutcome = Literal["passed", "skipped", "raised"]


@dataclass(frozen=True)
class Judged:
    violations: list[Violation]
    own: OwnOutcome  # what the check itself did in that phase


judged_key = pytest.StashKey[dict[str, Judged]]()
pending_key = pytest.StashKey[list[Violation]]()  # from a setup that passed, for the call


class WatchHooks:
    """The phase wrappers; registered by the plugin as ``WATCH_PLUGIN``."""

    def __init__(self, watch: ResponseWatch) -> None:
        self.watch = watch

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        return (yield from self._phase(item, "setup"))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        return (yield from self._phase(item, "call"))

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, None, None]:
        return (yield from self._phase(item, "teardown"))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.watch.problem:  # this process's (without xdist: the run's) document problem
            terminalreporter.write_line(self.watch.problem.splitlines()[0], yellow=True)

    def _phase(self, item: pytest.Item, when: str) -> Generator[None, None, None]:
        try:
            result = yield
        except (KeyboardInterrupt, SystemExit, pytest.exit.Exception):
            raise
        except BaseException as error:
            skipped = isinstance(error, pytest.skip.Exception)
            self._settle(item, when, "skipped" if skipped else "raised")
            raise
        self._settle(item, when, "passed")
        return result

    def _settle(self, item: pytest.Item, when: str, own: OwnOutcome) -> None:
        observations = self.watch.observer.drain()
        if info_of(item) is None:
            return
        violations = item.stash.get(pending_key, []) + self.watch.judge(observations)
        item.stash[pending_key] = []
        if not violations:
            return
        if when == "setup" and own == "passed":
            item.stash[pending_key] = violations  # told when the check itself has run
            return
        item.stash.setdefault(judged_key, {})[when] = Judged(violations, own)
        if own != "raised":
            raise ResponseViolation(render(violations)) from None


def render(violations: list[Violation]) -> str:
    return "\n\n".join(violation.message for violation in violations)


def annotate(item: pytest.Item, report: pytest.TestReport, info: CheckInfo, strict: bool) -> bool:
    """Mark a phase's report with the violations it received; True if there were any.

    The report fails; ``conformance_violations`` carries each violation's ID and message
    (the report attributes them to those IDs) and ``conformance_own_outcome`` what the
    check itself did: passed, skipped, failed, or a strict note.
    """
    judged = item.stash.get(judged_key, {}).pop(report.when, None)
    if judged is None:
        return False
    text = render(judged.violations)
    own: str = judged.own
    if own == "raised":
        note = info.level == "strict" and not strict and report.when == "call"
        own = "strict_note" if note else "failed"
        report.sections.append(("conformance: responses received", text))
    else:
        report.longrepr = text
    violations: list[dict[str, Any]] = [
        {"id": v.id, "title": v.title, "message": v.message} for v in judged.violations
    ]
    report.conformance_violations = violations  # type: ignore[attr-defined]
    report.conformance_own_outcome = own  # type: ignore[attr-defined]
    report.outcome = "failed"
    return True
