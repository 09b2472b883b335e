"""A check's failure as data: what was checked, expected, received, the request, a hint.

``ConformanceFailure`` is an ``AssertionError``, so pytest shows and counts it like any
failed assertion; its text is what the terminal has always shown. The plugin keeps its
fields (``as_dict``) for the JSON, HTML and SARIF reports, and ``excerpt`` shortens it by
part — headers go first, the body keeps at least its first characters — so a shortened
message (a strict note) never loses the body it is about.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

BODY_EXCERPT = 400
SHORT_BODY = 160
MESSAGES = 20  # the last WebSocket messages a failure shows


@dataclass(frozen=True)
class Received:
    """The answer a check judged: status, headers in order, the body (as far as read)."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    body_length: int = 0
    body_read: bool = True

    def body_excerpt(self, limit: int = BODY_EXCERPT) -> str:
        if not self.body_read:
            return "<not read>"
        if not self.body:
            return "<empty>"
        if len(self.body) > limit:
            return self.body[:limit] + f"… ({self.body_length} characters)"
        return self.body


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    path: str

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


class ConformanceFailure(AssertionError):
    """A failed check with its parts kept apart."""

    def __init__(
        self,
        what: str,
        expected: str,
        *,
        received: Received | None = None,
        request: Request | None = None,
        messages: list[str] | None = None,
        hint: str | None = None,
        reference: str | None = None,
    ) -> None:
        self.what = what
        self.expected = expected
        self.received = received
        self.messages = messages  # WebSocket messages received, when there is no HTTP answer
        self.request = request
        self.hint = hint
        self.reference = reference
        super().__init__(self.render())

    def render(self, *, headers: bool = True, body_limit: int = BODY_EXCERPT) -> str:
        lines = [self.what, f"  expected: {self.expected}"]
        if self.request is not None:
            lines.append(f"  request:  {self.request}")
        if self.received is not None:
            lines.append(f"  status:   {self.received.status}")
            if headers:
                lines.append("  headers:")
                lines += [f"    {name}: {value}" for name, value in self.received.headers]
            else:
                lines.append(f"  headers:  ({len(self.received.headers)} left out)")
            lines.append(f"  body:     {self.received.body_excerpt(body_limit)}")
        if self.messages is not None:
            lines.append("  received:")
            lines += [f"    {message!r}" for message in self.messages[-MESSAGES:]] or ["    <none>"]
        if self.hint:
            lines.append(f"  hint:     {self.hint}")
        if self.reference:
            lines.append(f"  see:      {self.reference}")
        return "\n".join(lines)

    def excerpt(self, limit: int) -> str:
        """The message in about ``limit`` characters: headers go first, then body length."""
        text = self.render()
        if len(text) <= limit:
            return text
        text = self.render(headers=False)
        if len(text) <= limit:
            return text
        over = len(text) - limit
        body = len(self.received.body) if self.received is not None else 0
        return self.render(
            headers=False, body_limit=max(SHORT_BODY, min(body, BODY_EXCERPT) - over)
        )

    def as_dict(self) -> dict[str, Any]:
        """The fields, JSON-ready (xdist carries them from the workers as they are)."""
        return {
            "what": self.what,
            "expected": self.expected,
            "request": asdict(self.request) if self.request is not None else None,
            "received": _received_dict(self.received),
            "messages": self.messages[-MESSAGES:] if self.messages is not None else None,
            "hint": self.hint,
            "reference": self.reference,
        }


def _received_dict(received: Received | None) -> dict[str, Any] | None:
    if received is None:
        return None
    return {
        "status": received.status,
        "headers": [list(pair) for pair in received.headers],
        "body": received.body_excerpt(),
        "body_length": received.body_length,
    }


class SetupFailure(ConformanceFailure):
    """The check could not set up the situation it judges: the answer it needed did not
    come (no 422 to provoke, a login refused). The plugin reports it as a setup error —
    pytest's ERROR, showing the status the target gave — not as the check's verdict."""
