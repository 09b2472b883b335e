"""The target model: one object the checks read instead of the tutorial's paths."""

from __future__ import annotations

from dataclasses import dataclass, field

from pytest_conformance.target_model.collections import Collection, declared_collections
from pytest_conformance.target_model.lists import ListOperation, declared_lists
from pytest_conformance.target_model.login import Login, declared_login
from pytest_conformance.target_model.openapi_document import OpenAPIDocument
from pytest_conformance.target_model.operations import DeclaredOperation, declared_operations
from pytest_conformance.target_model.streams import StreamOperation, declared_streams


def declared_me(operations: tuple[DeclaredOperation, ...]) -> DeclaredOperation | None:
    """The operation naming the caller: the one secured GET without path parameters whose
    path ends in ``/me`` (``/users/me``, ``/users/me/``); None when there is none or several."""
    found = [
        operation
        for operation in operations
        if operation.method == "GET"
        and operation.secured
        and not operation.path_parameters
        and operation.template.rstrip("/").rsplit("/", 1)[-1] == "me"
    ]
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True)
class TargetModel:
    operations: tuple[DeclaredOperation, ...]
    login: Login | None
    collections: tuple[Collection, ...]
    lists: tuple[ListOperation, ...]
    streams: tuple[StreamOperation, ...]
    me: DeclaredOperation | None = None
    document: OpenAPIDocument | None = field(default=None, compare=False, repr=False)

    @property
    def secured(self) -> tuple[DeclaredOperation, ...]:
        return tuple(operation for operation in self.operations if operation.secured)

    def found_paths(self) -> dict[str, str]:
        """``[paths]`` keys the document declares unambiguously, as full paths (the
        document's server prefix before them): ``token`` (the OAuth2 password flow's
        tokenUrl) and ``users_me`` (the only secured GET ending in ``/me``)."""
        prefix = self.document.base_path if self.document is not None else ""
        found: dict[str, str] = {}
        if self.login is not None:
            path = self.login.path
            found["token"] = path if path.startswith(prefix) else prefix + path
        if self.me is not None:
            found["users_me"] = prefix + self.me.template
        return found

    def find(self, method: str, template: str) -> DeclaredOperation | None:
        for operation in self.operations:
            if operation.method == method.upper() and operation.template == template:
                return operation
        return None

    def summary(self) -> str:
        """One line for the report header: what the suite found to check."""
        login = f"{self.login.kind} login at {self.login.path}" if self.login else "no login"
        return (
            f"{len(self.operations)} operations ({len(self.secured)} secured), {login}, "
            f"{len(self.collections)} collections, {len(self.lists)} paginated lists, "
            f"{len(self.streams)} streams"
        )


def build_model(document: OpenAPIDocument) -> TargetModel:
    operations = declared_operations(document)
    return TargetModel(
        operations=operations,
        login=declared_login(document),
        collections=declared_collections(operations),
        lists=declared_lists(document, operations),
        streams=declared_streams(document, operations),
        me=declared_me(operations),
        document=document,
    )
