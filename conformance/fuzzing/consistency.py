"""FUZZ-05's probes: a created resource is readable at its Location, a deleted one is gone.

Each read is made with the credentials the read's own operation needs (``credentials``),
not those of the request that led to it: a public create may well name an admin-only
resource. A read no profile user may make, or of a path the document gives no GET, is not
made; the link is listed as skipped, with the reason.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import httpx
from pytest_conformance.target_model.openapi_document import OpenAPIDocument

from conformance.fuzzing.credentials import Chosen, Credentials
from conformance.fuzzing.sender import Exchange, Sender, headers_of
from conformance.fuzzing.verdicts import Judge

GONE = (404, 410)


class Consistency:
    def __init__(
        self,
        document: OpenAPIDocument,
        base_path: str,
        credentials: Credentials,
        sender: Sender,
        judge: Judge,
    ) -> None:
        self.document = document
        self.base_path = base_path
        self.credentials = credentials
        self.sender = sender
        self.judge = judge
        self.probes = 0
        self.skipped: list[str] = []  # links not followed, each with its reason

    def probe(self, exchange: Exchange) -> None:
        status = exchange.answer.status_code
        method = str(exchange.prepared.method).upper()
        if not 200 <= status < 300:
            return
        location = exchange.answer.headers.get("Location")
        if method == "POST" and location:
            read = self.read(exchange, location)
            if read is not None and read.status_code != 200:
                self.judge.stateful(exchange, f"GET {location} after the create",
                                    "200: a created resource is readable",
                                    f"{read.status_code} {read.text[:200]}")  # fmt: skip
        elif method == "DELETE":
            read = self.read(exchange, str(exchange.prepared.url))
            if read is not None and read.status_code not in GONE:
                self.judge.stateful(exchange, f"GET {exchange.prepared.url} after the delete",
                                    "404 or 410: a deleted resource is gone",
                                    f"{read.status_code} {read.text[:200]}")  # fmt: skip

    def read(self, exchange: Exchange, location: str) -> httpx.Response | None:
        """GET what the answer named, as whoever may read it; None when nobody may."""
        url = urljoin(str(exchange.prepared.url), location)
        path = urlsplit(url).path
        operation = self.document.find("GET", path, self.base_path)
        if operation is None and self._documented(path):
            self.skipped.append(f"GET {url}: the document has no GET for this path")
            return None
        if operation is None:  # undocumented: read as the request that named it was sent
            sent = headers_of(exchange.prepared).get("Authorization")
            chosen = Chosen({"Authorization": sent} if sent else {})
        else:
            chosen = self.credentials.for_operation(operation)
            if chosen.reason:
                self.skipped.append(f"GET {url}: {chosen.reason}")
                return None
        read = self.sender.request("GET", url, chosen.headers)
        if read.status_code == 403 and chosen.guessed:
            because = chosen.hint or "name the role it needs in [[protected_routes]]"
            self.skipped.append(
                f"GET {url}: 403 to the [users.{chosen.role}] user, whose role was a guess; "
                f"{because}"
            )
            return None
        self.probes += 1
        return read

    def _documented(self, path: str) -> bool:
        methods = ("DELETE", "PATCH", "PUT", "POST", "HEAD")
        return any(self.document.find(method, path, self.base_path) for method in methods)
