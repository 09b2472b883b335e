"""Watching every HTTP response a check receives, without changing what the check reads.

``Observer.hook`` is an httpx response event hook: it runs when the status and headers
have arrived, before any body byte is read. It records an ``Observation`` and wraps the
response's byte stream so that the body is seen *as the check reads it* — never read
ahead, never consumed on the check's behalf. At most ``BODY_LIMIT`` bytes are kept;
secrets are searched in every chunk (with an overlap, so one split across two chunks is
still found), however long a stream runs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx

BODY_LIMIT = 1 << 20  # bytes kept per response for validation
# A request extension: the check provoked this answer itself (e.g. through a dependency
# override), so it is not judged against the OpenAPI document (secrets are still searched).
UNVALIDATED = "conformance.unvalidated"
# A request extension: the answer's secrets are searched elsewhere (the fuzz area's
# FUZZ-03), so LIFE-02 does not search it again.
UNSEARCHED = "conformance.unsearched"
# A request extension: the check judges the envelope of this error answer itself (ERR-01's
# provoked situations, VER-04), so ERR-07's run-wide look does not report it again.
ENVELOPE_JUDGED = "conformance.envelope_judged"


def mark_unvalidated(request: httpx.Request) -> None:
    """An httpx request hook: exempt the answer from OpenAPI validation."""
    request.extensions[UNVALIDATED] = True


def mark_unsearched(request: httpx.Request) -> None:
    """An httpx request hook: exempt the answer from LIFE-02's secret search."""
    request.extensions[UNSEARCHED] = True


def mark_envelope_judged(request: httpx.Request) -> None:
    """An httpx request hook: the check judges the answer's envelope (not ERR-07)."""
    request.extensions[ENVELOPE_JUDGED] = True


@dataclass
class Observation:
    """One response as far as the check read it."""

    method: str
    url: httpx.URL
    status: int
    headers: httpx.Headers
    body: bytearray = field(default_factory=bytearray)
    truncated: bool = False  # more than BODY_LIMIT bytes arrived
    complete: bool = False  # the check read the body to its end
    secret_hits: set[int] = field(default_factory=set)  # indexes into the searched secrets
    validate: bool = True  # judged against the OpenAPI document
    search: bool = True  # searched for secrets (LIFE-02)
    preflight: bool = False  # a CORS preflight: its body reaches no client (Fetch standard)
    envelope_judged: bool = False  # the check judges its envelope itself (not ERR-07)

    @property
    def path(self) -> str:
        return self.url.path


class _ObservedStream(httpx.SyncByteStream):
    def __init__(
        self, inner: httpx.SyncByteStream, seen: Observation, secrets: tuple[bytes, ...]
    ) -> None:
        self._inner = inner
        self._seen = seen
        self._secrets = secrets
        self._overlap = max((len(secret) for secret in secrets), default=1) - 1
        self._tail = b""

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            self._note(chunk)
            yield chunk
        self._seen.complete = True

    def _note(self, chunk: bytes) -> None:
        seen = self._seen
        room = BODY_LIMIT - len(seen.body)
        if len(chunk) > room:
            seen.truncated = True
        if room > 0:
            seen.body += chunk[:room]
        if self._secrets:
            window = self._tail + chunk
            for index, secret in enumerate(self._secrets):
                if secret in window:
                    seen.secret_hits.add(index)
            self._tail = window[-self._overlap :] if self._overlap else b""

    def close(self) -> None:
        self._inner.close()


class Observer:
    """Collects the observations of the running check (thread-safe; checks may use threads)."""

    def __init__(self, secrets: tuple[bytes, ...] = ()) -> None:
        self.secrets = secrets
        self._lock = threading.Lock()
        self._seen: list[Observation] = []

    def hook(self, response: httpx.Response) -> None:
        """The httpx response event hook: record the response and watch its body."""
        request = response.request
        seen = Observation(request.method, request.url, response.status_code, response.headers)
        seen.validate = not request.extensions.get(UNVALIDATED, False)
        seen.search = not request.extensions.get(UNSEARCHED, False)
        seen.envelope_judged = bool(request.extensions.get(ENVELOPE_JUDGED, False))
        seen.preflight = (
            request.method == "OPTIONS" and "access-control-request-method" in request.headers
        )
        stream = response.stream
        if isinstance(stream, httpx.SyncByteStream):
            response.stream = _ObservedStream(stream, seen, self.secrets)
        with self._lock:
            self._seen.append(seen)

    def drain(self) -> list[Observation]:
        """The observations so far, forgetting them."""
        with self._lock:
            seen, self._seen = self._seen, []
        return seen
