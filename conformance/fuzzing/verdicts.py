"""Which checks judge each generated answer, and under which FUZZ ID a failure is filed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pytest_conformance import Profile
from schemathesis.checks import CHECKS, CheckContext, load_all_checks, run_checks

from conformance.fuzzing.checks import ConformanceChecks
from conformance.fuzzing.sender import Exchange

# schemathesis's built-in checks and ours, by the FUZZ ID they stand for (SPEC.md).
FUZZ_IDS: dict[str, str] = {
    "not_a_server_error": "FUZZ-01",
    "conformance_no_server_error": "FUZZ-01",
    "status_code_conformance": "FUZZ-02",
    "content_type_conformance": "FUZZ-02",
    "response_headers_conformance": "FUZZ-02",
    "response_schema_conformance": "FUZZ-02",
    "conformance_error_envelope": "FUZZ-03",
    "conformance_security_headers": "FUZZ-03",
    "conformance_request_id": "FUZZ-03",
    "conformance_bearer_challenge": "FUZZ-03",
    "conformance_no_secrets": "FUZZ-03",
    "negative_data_rejection": "FUZZ-04",
    "positive_data_acceptance": "FUZZ-04",
    "missing_required_header": "FUZZ-04",
}
STATEFUL_ID = "FUZZ-05"
EXCERPT = 300
MAX_KEPT = 10_000  # distinct findings per run: a memory bound, not a display limit
# Checks that see one cause the same way: one 500 is one FUZZ-01 finding, not two.
CAUSES = {"not_a_server_error": "server error", "conformance_no_server_error": "server error"}
# What still judges a 5xx: that it is one (FUZZ-01) and that it leaks no secret. Its
# envelope, headers and schema are consequences of the same crash, not further causes.
ON_SERVER_ERROR = ("not_a_server_error", "conformance_no_server_error", "conformance_no_secrets")


@dataclass
class Finding:
    fuzz_id: str
    check: str
    operation: str
    message: str
    curl: str
    received: str = ""
    repeats: int = 1

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.fuzz_id, self.operation, CAUSES.get(self.check, self.check))

    def describe(self) -> str:
        message = self.message.strip().replace("\n", "\n    ")
        again = f" (seen {self.repeats} times)" if self.repeats > 1 else ""
        return (
            f"[{self.check}] {self.operation}{again}\n    {message}\n"
            f"  received:  {self.received}\n"
            f"  reproduce: {self.curl}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.fuzz_id,
            "check": self.check,
            "operation": self.operation,
            "message": self.message,
            "received": self.received,
            "reproduce": self.curl,
            "repeats": self.repeats,
        }


@dataclass
class Findings:
    """Every distinct finding (one per FUZZ ID, operation and cause), in the order found."""

    kept: dict[tuple[str, str, str], Finding] = field(default_factory=dict)
    dropped: int = 0

    def add(self, finding: Finding) -> None:
        known = self.kept.get(finding.key)
        if known is not None:
            known.repeats += 1
        elif len(self.kept) < MAX_KEPT:
            self.kept[finding.key] = finding
        else:
            self.dropped += 1

    def of(self, fuzz_id: str) -> list[Finding]:
        return [finding for finding in self.kept.values() if finding.fuzz_id == fuzz_id]


def received(exchange: Exchange) -> str:
    """The answer in one line: status and a body excerpt."""
    answer = exchange.answer
    body = answer.content[:EXCERPT].decode("utf-8", "replace")
    more = "…" if len(answer.content) > EXCERPT else ""
    return f"{answer.status_code} {body}{more}"


def _functions(ours: ConformanceChecks) -> list[Callable[..., Any]]:
    load_all_checks()
    registered = {check.__name__: check for check in CHECKS.get_all() if callable(check)}
    for check in ours.all():
        registered[check.__name__] = check
    return [registered[name] for name in FUZZ_IDS if name in registered]


class Judge:
    """Runs every mapped check on an exchange and files failures under their FUZZ ID."""

    def __init__(self, profile: Profile, findings: Findings) -> None:
        self.profile = profile
        self.findings = findings
        self.ours = ConformanceChecks(profile)
        self.checks = _functions(self.ours)
        self._configs: dict[str, Any] = {}
        self.on_server_error = [c for c in self.checks if c.__name__ in ON_SERVER_ERROR]
        self.on_linked = [c for c in self.checks if FUZZ_IDS[c.__name__] != "FUZZ-04"]

    def judge(self, exchange: Exchange, *, linked: bool = False) -> None:
        """``linked``: a stateful step, whose parameters came from an earlier answer through
        a link (possibly an inferred one) — not generated input, so FUZZ-04 does not judge it."""
        case = exchange.case
        config = self._configs.get(case.operation.label)
        if config is None:  # building it costs milliseconds: once per operation
            config = case.operation.schema.config.checks_config_for(operation=case.operation)
            self._configs[case.operation.label] = config
        ctx = CheckContext(
            override=None,
            auth=None,
            headers=None,
            config=config,
            transport_kwargs=None,
            response_checks=None,
        )

        def failed(name: str, collected: set[Any], failure: Any) -> None:
            if not self.ours.keeps(failure, exchange.response, case.operation):
                return
            self.findings.add(
                Finding(
                    FUZZ_IDS.get(name, "FUZZ-02"),
                    name,
                    case.operation.label,
                    str(getattr(failure, "message", "") or failure),
                    exchange.curl,
                    received(exchange),
                )
            )

        if exchange.answer.status_code >= 500:
            checks = self.on_server_error
        else:
            checks = self.on_linked if linked else self.checks
        run_checks(case=case, response=exchange.response, ctx=ctx, checks=checks, on_failure=failed)

    def stateful(self, exchange: Exchange, what: str, expected: str, answer: str) -> None:
        self.findings.add(
            Finding(
                STATEFUL_ID,
                "conformance_resource_consistency",
                exchange.case.operation.label,
                f"{what}: expected {expected}, received {answer}",
                exchange.curl,
                received(exchange),
            )
        )
