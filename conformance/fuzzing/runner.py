"""One fuzz run: stateless cases for every operation, then stateful sequences through links."""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test
from pytest_conformance import Profile, Target
from schemathesis.generation import GenerationMode

from conformance.fuzzing.sender import Exchange, Sender, shift_ids
from conformance.fuzzing.tokens import TokenSource
from conformance.fuzzing.verdicts import Findings, Judge

GONE = (404, 410)


@dataclass
class RunStats:
    cases: int = 0
    stateful_steps: int = 0
    probes: int = 0
    seconds: float = 0.0
    operations: int = 0
    logins: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.seconds if self.seconds else 0.0


@dataclass
class FuzzRun:
    findings: Findings
    stats: RunStats
    seed: int


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
    label = f"{method.upper()} {path}"
    return any(fnmatch.fnmatchcase(label, pattern) for pattern in profile.fuzz.exclude)


def load_schema(document: dict[str, Any], profile: Profile) -> Any:
    schema = schemathesis.openapi.from_dict(document)
    return schema.exclude(lambda ctx: excluded(profile, ctx.operation.method, ctx.operation.path))


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

            @hypothesis.seed(seed)
            @_hypothesis_settings(examples)
            @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
            def generated(case: Any) -> None:
                send(case)

            try:
                generated()
            except hypothesis.errors.Unsatisfiable:
                pass
            except Exception as error:  # reported, never fatal
                errors.append(f"{operation.label} ({mode.value}): {error!r}"[:500])
    return operations


class Fuzzer:
    """Generates, sends and judges; one instance per run."""

    def __init__(self, target: Target, profile: Profile, document: dict[str, Any]) -> None:
        self.profile = profile
        self.schema = load_schema(document, profile)
        self.tokens = TokenSource(target, profile, profile.fuzz.role)
        self.sender = Sender(target, profile, self.tokens)
        self.findings = Findings()
        self.judge = Judge(profile, self.findings)
        self.stats = RunStats()
        self.broken: httpx.TransportError | None = None

    def exchange(self, case: Any, *, linked: bool = False) -> Exchange:
        if self.broken is not None:  # the target stopped answering: no more cases
            raise self.broken
        try:
            exchange = self.sender.send(case)
        except httpx.TransportError as error:
            self.broken = error  # raised again by ``run``, after hypothesis gave up on it
            raise
        self.judge.judge(exchange, linked=linked)
        self.probe(exchange)
        return exchange

    def probe(self, exchange: Exchange) -> None:
        """FUZZ-05: a created resource is readable at its Location; a deleted one is gone."""
        status = exchange.answer.status_code
        method = str(exchange.prepared.method).upper()
        if not 200 <= status < 300:
            return
        location = exchange.answer.headers.get("Location")
        if method == "POST" and location:
            self.stats.probes += 1
            read = self.sender.follow(exchange, location)
            if read.status_code != 200:
                self.judge.stateful(exchange, f"GET {location} after the create",
                                    "200: a created resource is readable",
                                    f"{read.status_code} {read.text[:200]}")  # fmt: skip
        elif method == "DELETE":
            self.stats.probes += 1
            read = self.sender.follow(exchange, str(exchange.prepared.url))
            if read.status_code not in GONE:
                self.judge.stateful(exchange, f"GET {exchange.prepared.url} after the delete",
                                    "404 or 410: a deleted resource is gone",
                                    f"{read.status_code} {read.text[:200]}")  # fmt: skip

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
                fuzzer.stats.stateful_steps += 1
                return fuzzer.exchange(case, linked=True).response

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

    def run(self, examples: int, stateful_examples: int, seed: int) -> FuzzRun:
        started = time.perf_counter()
        try:
            self.stateless(examples, seed)
            if stateful_examples:
                self.stateful(stateful_examples, seed)
        finally:
            self.sender.close()
        if self.broken is not None:  # a hung or unreachable target fails the run, never passes
            raise self.broken
        self.stats.seconds = time.perf_counter() - started
        self.stats.cases = self.sender.sent
        self.stats.logins = self.tokens.logins
        return FuzzRun(self.findings, self.stats, seed)
