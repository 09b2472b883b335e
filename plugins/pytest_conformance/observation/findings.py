"""Run-wide findings about every answer the suite receives (OAS-06, LIFE-02, ERR-07).

The response watch records what it sees into a ``Ledger`` instead of failing the check
that happened to receive the answer: one ``Sighting`` per (ID, operation, status, kind),
with how often it was seen and the first instance as the example. A ledger is plain data
(``to_data`` / ``merge``), so xdist workers hand theirs to the controller, which merges
them before the findings are reported (``findings_items.py``).

ERR-07 is judged only once the run's answers are all in: its sightings are every error
answer with a body, keyed by the shapes the body shows (``envelopes.shapes_of``), and
``envelope_findings`` compares them with the style the profile declares or, when it
declares none, the shape most of the run's error answers show.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from pytest_conformance.envelopes import STYLES

OAS = "OAS-06"
SECRETS = "LIFE-02"
ENVELOPE = "ERR-07"
FINDING_IDS = (OAS, SECRETS, ENVELOPE)

Key = tuple[str, str, int, str]  # (ID, operation, status, kind)


@dataclass
class Sighting:
    id: str
    operation: str  # "METHOD /template" as the document names it, else "METHOD /path"
    status: int
    kind: str  # for ERR-07: the shapes the body shows, joined by " | "
    count: int = 1
    message: str = ""  # the first instance, rendered (request, expected, received, body)
    example: dict[str, Any] = field(default_factory=dict)  # ConformanceFailure.as_dict()

    @property
    def key(self) -> Key:
        return (self.id, self.operation, self.status, self.kind)

    @property
    def shapes(self) -> tuple[str, ...]:
        return tuple(self.kind.split(" | "))


class Ledger:
    """What one process saw (thread-safe: checks may receive answers in threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sightings: dict[Key, Sighting] = {}
        self.looked: Counter[str] = Counter()  # answers each ID judged
        self.problems: dict[str, str] = {}  # why an ID could not judge (the document)

    def add(self, sighting: Sighting) -> None:
        with self._lock:
            self._add(sighting)

    def _add(self, sighting: Sighting) -> None:
        known = self._sightings.get(sighting.key)
        if known is None:
            self._sightings[sighting.key] = sighting
        else:
            known.count += sighting.count

    def look(self, check_id: str) -> None:
        with self._lock:
            self.looked[check_id] += 1

    def of(self, check_id: str) -> list[Sighting]:
        with self._lock:
            return [found for found in self._sightings.values() if found.id == check_id]

    def to_data(self) -> dict[str, Any]:
        """JSON-ready (xdist's workeroutput carries it to the controller)."""
        with self._lock:
            return {
                "sightings": [asdict(found) for found in self._sightings.values()],
                "looked": dict(self.looked),
                "problems": dict(self.problems),
            }

    def merge(self, data: dict[str, Any]) -> None:
        with self._lock:
            for found in data.get("sightings", ()):
                self._add(Sighting(**found))
            self.looked.update(data.get("looked", {}))
            for check_id, problem in data.get("problems", {}).items():
                self.problems.setdefault(check_id, problem)


@dataclass(frozen=True)
class Established:
    """The envelope every error answer of the run must show, and where that comes from."""

    shape: str
    reason: str

    def describe(self) -> str:
        style = STYLES.get(self.shape)
        shown = f"the {self.shape} envelope {style.shape}" if style else f"the shape {self.shape}"
        return f"{shown} ({self.reason})"


def established_envelope(answers: list[Sighting], declared: str | None) -> Established | None:
    """The profile's style; else the shape most error answers show (first seen on a tie).

    "The one the target's first error answers show" (SPEC.md ERR-07) is not one answer
    under xdist, where processes see answers in no common order: the run's prevailing
    shape stands for it, which is the first answers' shape whenever the target keeps one.
    """
    if declared is not None:
        return Established(declared, "the profile's envelope")
    votes: Counter[str] = Counter()
    for answer in answers:
        for shape in answer.shapes:
            votes[shape] += answer.count
    if not votes:
        return None
    total = sum(answer.count for answer in answers)
    shape, count = votes.most_common(1)[0]
    return Established(shape, f"shown by {count} of the run's {total} error answers")


def envelope_findings(answers: list[Sighting], declared: str | None) -> list[Sighting]:
    """One finding per (operation, status) with error answers in another shape."""
    established = established_envelope(answers, declared)
    if established is None:
        return []
    found: dict[tuple[str, int], Sighting] = {}
    for answer in answers:
        if established.shape in answer.shapes:
            continue
        key = (answer.operation, answer.status)
        if key in found:
            found[key].count += answer.count
            continue
        expected = established.describe()
        found[key] = Sighting(
            ENVELOPE,
            answer.operation,
            answer.status,
            f"another envelope: {answer.kind}",
            answer.count,
            f"{ENVELOPE} {answer.operation}: the error answer {answer.status} is not in the "
            f"run's envelope\n  expected: {expected}\n  received: {answer.kind}\n"
            f"{answer.message}",
            {**answer.example, "expected": expected},
        )
    return list(found.values())
