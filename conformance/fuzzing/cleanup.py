"""What the fuzz run creates, it deletes at the end, where the target can delete.

Every POST answered with a 2xx is noted: the resource is named by the answer's
``Location``, else by the ``id`` of its JSON body under the create's own path, or under
the item path of the create's parent collection whose GET answers the same schema
(``POST /users/signup`` answers a ``UserPublic``, as ``GET /users/{user_id}`` does). A
200 counts only when the document can delete what it names: only a 201 says for sure that
it created. At the end
each is deleted (newest first) through the document's DELETE operation for its URL, with
the credentials that operation needs; a 404 or 410 means a stateful sequence already did.
What has no DELETE operation, or whose delete is refused, is listed as left behind, as is
what a create that answered 5xx may have stored (a row written before the answer failed,
as FastAPI's full-stack template's ``POST /private/users/`` does).
Nothing that names one of the suite's own accounts is ever noted, so never deleted (a
``POST /login/test-token`` answers the logged-in user: it created nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from pytest_conformance.target_model.openapi_document import OpenAPIDocument, Operation

GONE = (404, 410)
ID_FIELDS = ("id", "uuid")


@dataclass(frozen=True)
class Created:
    url: str
    by: str  # the create that made it: "POST /items/"


# (method, url, operation) -> the answer, or None when the credentials it needs are missing
Delete = Callable[[str, Operation], "httpx.Response | None"]


@dataclass
class Cleanup:
    document: OpenAPIDocument
    base_path: str = ""
    protected: frozenset[str] = frozenset()  # ids and names of the suite's own accounts
    created: list[Created] = field(default_factory=list)
    left: list[str] = field(default_factory=list)  # one line per resource left behind
    deleted: int = 0

    def note(self, method: str, url: str, answer: httpx.Response, label: str) -> None:
        """Remember what a successful create made (idempotent per URL); a create that
        failed with a 5xx may have stored something before it failed, which nothing names:
        it is listed as possibly left behind (once per operation and status)."""
        if method.upper() == "POST" and answer.status_code >= 500:
            line = (
                f"{label}: answered {answer.status_code}; whatever it stored before failing "
                "has no URL to delete it by"
            )
            if line not in self.left:
                self.left.append(line)
            return
        if method.upper() != "POST" or not 200 <= answer.status_code < 300:
            return
        location = answer.headers.get("Location")
        if location:
            named = urljoin(url, location)
        else:
            identifier = _body_id(answer, self._item_parameters(url))
            if identifier is None:
                if answer.status_code == 201:
                    self.left.append(f"{label}: 201 without a Location or an id to delete by")
                return
            named = url.split("?", 1)[0].rstrip("/") + "/" + identifier
            deletable = self.document.find("DELETE", urlsplit(named).path, self.base_path)
            if deletable is None:
                named = self._item_of_same_schema(url, identifier) or named
                deletable = self.document.find("DELETE", urlsplit(named).path, self.base_path)
            if answer.status_code != 201 and deletable is None:
                return  # a 200 with an id need not be a create: only a 201 says so
        if set(urlsplit(named).path.split("/")) & self.protected:
            return  # one of the suite's own accounts: never the run's to delete
        if all(created.url != named for created in self.created):
            self.created.append(Created(named, label))

    def _item_parameters(self, url: str) -> tuple[str, ...]:
        """The names of the parameter ending each deletable item path under the create's
        path (``slug`` of ``DELETE /articles/{slug}``): the member naming the new item."""
        path = urlsplit(url).path
        create = self.document.find("POST", path, self.base_path)
        if create is None:
            return ()
        base = create.template.rstrip("/")
        names: list[str] = []
        for operation in self.document.operations():
            match = re.fullmatch(re.escape(base) + r"/\{([^}/]+)\}", operation.template)
            if operation.method == "DELETE" and match and match.group(1) not in names:
                names.append(match.group(1))
        return tuple(names)

    def _item_of_same_schema(self, url: str, identifier: str) -> str | None:
        """The URL of ``identifier`` on a deletable item path of the create's parent
        collection whose GET answers the schema the create answered (the same ``$ref``)."""
        path = urlsplit(url).path
        create = self.document.find("POST", path, self.base_path)
        answered = _success_ref(self.document, create) if create else None
        if create is None or answered is None or not path.endswith(create.template):
            return None
        prefix = path[: len(path) - len(create.template)]
        for operation in self.document.operations():
            template = operation.template
            if operation.method != "GET" or not re.search(r"/\{[^}/]+\}$", template):
                continue
            collection = re.sub(r"/\{[^}/]+\}$", "", template)
            if not create.template.startswith(collection + "/"):
                continue  # another collection's items may share the schema
            if _success_ref(self.document, operation) != answered:
                continue
            concrete = prefix + re.sub(r"\{[^}/]+\}$", identifier, template)
            if self.document.find("DELETE", concrete, self.base_path) is not None:
                return urljoin(url, concrete)
        return None

    def delete_all(self, delete: Delete) -> None:
        while self.created:
            created = self.created.pop()
            operation = self.document.find("DELETE", urlsplit(created.url).path, self.base_path)
            if operation is None:
                self.left.append(f"{created.url} ({created.by}): the document has no DELETE for it")
                continue
            try:
                answer = delete(created.url, operation)
            except httpx.HTTPError as error:
                self.left.append(f"{created.url} ({created.by}): DELETE failed: {error!r}")
                continue
            if answer is None:
                self.left.append(
                    f"{created.url} ({created.by}): no profile user may call {operation.name}"
                )
            elif 200 <= answer.status_code < 300 or answer.status_code in GONE:
                self.deleted += 1
            else:
                self.left.append(
                    f"{created.url} ({created.by}): DELETE answered {answer.status_code}"
                )

    def summary(self) -> str:
        if not self.deleted and not self.left:
            return ""
        text = f"deleted {self.deleted} resource(s) it created"
        if self.left:
            text += f"; left {len(self.left)} behind: " + "; ".join(self.left[:5])
            if len(self.left) > 5:
                text += f"; … ({len(self.left) - 5} more in the JSON report)"
        return text


def _success_ref(document: OpenAPIDocument, operation: Operation) -> str | None:
    """The ``$ref`` naming the JSON schema of the operation's first 2xx answer."""
    for status in sorted(str(key) for key in operation.responses):
        if not status.startswith("2"):
            continue
        response = document.resolve(operation.responses[status])
        content = response.get("content") if isinstance(response, dict) else None
        entry = content.get("application/json") if isinstance(content, dict) else None
        schema = entry.get("schema") if isinstance(entry, dict) else None
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        return ref if isinstance(ref, str) else None
    return None


def _body_id(answer: httpx.Response, parameters: tuple[str, ...] = ()) -> str | None:
    """The created item's id: ``id``, ``uuid`` or the item path's parameter name, in the
    body or in its one wrapped object (``{"article": {"slug": ...}}``)."""
    try:
        body: Any = answer.json()
    except ValueError:
        return None
    if isinstance(body, dict) and len(body) == 1:
        (only,) = body.values()
        if isinstance(only, dict) and not any(key in body for key in ID_FIELDS):
            body = only
    if not isinstance(body, dict):
        return None
    for key in (*ID_FIELDS, *parameters):
        value = body.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value):
            return str(value)
    return None
