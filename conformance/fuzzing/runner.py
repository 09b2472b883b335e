"""One fuzz run: stateless cases for every operation, then stateful sequences through links."""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import run_state_machine_as_test
from pytest_conformance import Profile, Target
from pytest_conformance.target_model.openapi_document import OpenAPIDocument, Operation
from schemathesis.generation import GenerationMode

from conformance.fuzzing.accounts import Accounts, left_out
from conformance.fuzzing.cleanup import Cleanup
from conformance.fuzzing.consistency import Consistency
from conformance.fuzzing.credentials import Credentials
from conformance.fuzzing.form_fields import empty_form_values_absent
from conformance.fuzzing.sender import Exchange, Sender, shift_ids
from conformance.fuzzing.tokens import TokenSource
from conformance.fuzzing.verdicts import Findings, Judge

HOPELESS = 50  # draws per case sent (and before the first) before a mode is given up


@dataclass
class RunStats:
    cases: int = 0
    stateful_steps: int = 0
    probes: int = 0
    seconds: float = 0.0
    operations: int = 0
    logins: int = 0
    retries: int = 0  # requests sent again on a fresh connection after a reset one
    spared: int = 0  # mutating requests not sent: they named one of the suite's accounts
    errors: list[str] = field(default_factory=list)
    skipped_links: list[str] = field(default_factory=list)
    deleted: int = 0
    left: list[str] = field(default_factory=list)  # what the run created and could not delete

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.seconds if self.seconds else 0.0


@dataclass
class FuzzRun:
    findings: Findings
    stats: RunStats
    seed: int
    broken: str = ""  # why the run stopped early (the target stopped answering), if it did


def _hypothesis_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
        report_multiple_bugs=False,
        print_blob=False,
    )


def excluded(profile: Profile, method: str, path: str) -> bool:
    """The profile's ``[fuzz] exclude``, and the "me" operations that change something."""
    label = f"{method.upper()} {path}"
    if left_out(profile, method, path):
        return True
    return any(fnmatch.fnmatchcase(label, pattern) for pattern in profile.fuzz.exclude)


def load_schema(document: dict[str, Any], profile: Profile) -> Any:
    schema = schemathesis.openapi.from_dict(empty_form_values_absent(document))
    return schema.exclude(lambda ctx: excluded(profile, ctx.operation.method, ctx.operation.path))


class _Hopeless(BaseException):
    """This operation's cases of this generation mode are (almost) never drawn.

    A BaseException, so hypothesis passes it through as it does an interrupt rather than
    replaying it as a failure; its data tree may still call the cut-short draw
    inconsistent (``FlakyStrategyDefinition``), which ``Budget.spent`` tells apart.
    """


@dataclass
class Budget:
    """Draws of one operation and mode: ``HOPELESS`` per case sent, and ``HOPELESS``
    before the first. A mode an operation cannot have (negative cases of a free-form
    string path parameter) is otherwise drawn and rejected some 460 times before
    hypothesis calls it unsatisfiable; operations that can be generated need a few."""

    sent: int = 0
    attempts: int = 0
    spent: bool = False

    def bounded(self, strategy: Any) -> Any:
        @st.composite
        def drawn(draw: Any) -> Any:
            self.attempts += 1
            if self.attempts > HOPELESS * (1 + self.sent):
                self.spent = True
                raise _Hopeless
            return draw(strategy)

        return drawn()


def for_each_case(
    schema: Any, examples: int, seed: int, send: Callable[[Any], None], errors: list[str]
) -> int:
    """Draw ``examples`` cases per operation and generation mode and ``send`` each one.

    Returns the number of operations; a generation problem is noted in ``errors``.
    """
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            budget = Budget()
            try:
                _generate(budget.bounded(operation.as_strategy(generation_mode=mode)),
                          examples, seed, budget, send)  # fmt: skip
            except (hypothesis.errors.Unsatisfiable, _Hopeless):
                pass
            except Exception as error:  # reported, never fatal
                cut_short = isinstance(error, hypothesis.errors.FlakyStrategyDefinition)
                if not (cut_short and budget.spent):
                    errors.append(f"{operation.label} ({mode.value}): {error!r}"[:500])
    return operations


def _generate(
    strategy: Any, examples: int, seed: int, budget: Budget, send: Callable[[Any], None]
) -> None:
    @hypothesis.seed(seed)
    @_hypothesis_settings(examples)
    @hypothesis.given(case=strategy)
    def generated(case: Any) -> None:
        budget.sent += 1
        send(case)

    generated()


class Fuzzer:
    """Generates, sends and judges; one instance per run."""

    def __init__(self, target: Target, profile: Profile, document: dict[str, Any]) -> None:
        self.profile = profile
        self.schema = load_schema(document, profile)
        indexed = OpenAPIDocument(document)
        base_path = urlsplit(target.base_url).path.rstrip("/")
        self.accounts = Accounts.of(target, profile)
        self.tokens = TokenSource(target, profile, profile.fuzz.role)
        self.credentials = Credentials(target, profile, self.tokens)
        self.sender = Sender(target, profile, self.tokens)
        self.findings = Findings()
        self.judge = Judge(profile, self.findings)
        self.consistency = Consistency(
            indexed, base_path, self.credentials, self.sender, self.judge
        )
        self.cleanup = Cleanup(indexed, base_path, frozenset(self.accounts.names))
        self.stats = RunStats()
        self.broken: httpx.TransportError | None = None

    def exchange(self, case: Any, *, linked: bool = False) -> Exchange | None:
        """Send, note what it created, judge, probe; None when the case was not sent."""
        if self.broken is not None:  # the target stopped answering: no more cases
            raise self.broken
        if self.accounts.spare(case):
            return None
        try:
            exchange = self.sender.send(case)
        except httpx.TransportError as error:
            self.broken = error  # reported by ``run``, after hypothesis gave up on it
            raise
        self.cleanup.note(
            str(exchange.prepared.method), str(exchange.prepared.url), exchange.answer,
            case.operation.label,
        )  # fmt: skip
        self.judge.judge(exchange, linked=linked)
        self.consistency.probe(exchange)
        return exchange

    def stateless(self, examples: int, seed: int) -> None:
        def send(case: Any) -> None:
            shift_ids(case)
            self.exchange(case)

        self.stats.operations += for_each_case(self.schema, examples, seed, send, self.stats.errors)

    def stateful(self, examples: int, seed: int) -> None:
        fuzzer = self
        machine = self.schema.as_state_machine()

        class Workflow(machine):  # type: ignore[misc, valid-type]
            def call(self, case: Any, **kwargs: Any) -> Any:
                exchange = fuzzer.exchange(case, linked=True)
                if exchange is None:  # it would have changed one of the suite's accounts
                    hypothesis.reject()
                fuzzer.stats.stateful_steps += 1
                return exchange.response

            def validate_response(self, response: Any, case: Any, *args: Any, **kw: Any) -> None:
                return None  # judged in ``call``: failures are collected, never raised

        hypothesis.seed(seed)(Workflow)
        try:
            run_state_machine_as_test(
                Workflow,
                settings=settings(_hypothesis_settings(examples), stateful_step_count=6),
            )
        except Exception as error:
            self.stats.errors.append(f"stateful run: {error!r}"[:500])

    def delete(self, url: str, operation: Operation) -> httpx.Response | None:
        """Cleanup's DELETE, as whoever may make it (None: no profile user may)."""
        chosen = self.credentials.for_operation(operation)
        if chosen.reason:
            return None
        return self.sender.request("DELETE", url, chosen.headers)

    def tidy(self) -> None:
        """Delete what the run created; a target that stopped answering is not asked."""
        if self.broken is None:
            self.cleanup.delete_all(self.delete)
        else:
            self.cleanup.left += [
                f"{created.url} ({created.by}): not deleted, the target stopped answering"
                for created in self.cleanup.created
            ]

    def run(self, examples: int, stateful_examples: int, seed: int) -> FuzzRun:
        started = time.perf_counter()
        try:
            self.stateless(examples, seed)
            if stateful_examples and self.broken is None:
                self.stateful(stateful_examples, seed)
            self.tidy()
        finally:
            self.sender.close()
        stats = self.stats
        stats.seconds = time.perf_counter() - started
        stats.cases = self.sender.sent
        stats.logins = self.tokens.logins
        stats.retries = self.sender.retries
        stats.spared = self.accounts.spared
        stats.probes = self.consistency.probes
        stats.skipped_links = self.consistency.skipped
        stats.deleted = self.cleanup.deleted
        stats.left = self.cleanup.left
        broken = "" if self.broken is None else f"the target stopped answering: {self.broken!r}"
        return FuzzRun(self.findings, stats, seed, broken)
