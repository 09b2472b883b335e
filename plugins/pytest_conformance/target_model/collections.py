"""Collections: a create operation and the item path that reads, updates and deletes it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pytest_conformance.target_model.operations import DeclaredOperation

OWNER_FIELDS = ("owner_id", "user_id", "owner", "created_by", "author_id", "creator_id")
_ITEM_PARAMETER = re.compile(r"/\{([^}/]+)\}$")


@dataclass(frozen=True)
class Collection:
    create: DeclaredOperation  # POST on the collection path
    read: DeclaredOperation  # GET on the item path
    update: DeclaredOperation | None  # PATCH, else PUT, on the item path
    delete: DeclaredOperation | None
    id_parameter: str  # the item path's parameter, e.g. ``item_id``
    id_schema: Mapping[str, Any]
    owner_field: str | None  # a field of the read schema that names the creator

    @property
    def path(self) -> str:
        return self.create.template

    @property
    def item_path(self) -> str:
        return self.read.template

    @property
    def secured(self) -> bool:
        return any(op.secured for op in (self.create, self.read, self.update, self.delete) if op)


def declared_collections(operations: tuple[DeclaredOperation, ...]) -> tuple[Collection, ...]:
    by_name = {(op.method, op.template): op for op in operations}
    found: list[Collection] = []
    for create in operations:
        if create.method != "POST" or create.template.endswith("}") or create.body_media is None:
            continue
        base = create.template.rstrip("/")
        for (method, template), read in by_name.items():
            match = _ITEM_PARAMETER.search(template)
            if method != "GET" or match is None or template[: match.start()] != base:
                continue
            update = by_name.get(("PATCH", template)) or by_name.get(("PUT", template))
            delete = by_name.get(("DELETE", template))
            parameter = read.parameter(match.group(1), "path")
            found.append(
                Collection(
                    create=create,
                    read=read,
                    update=update,
                    delete=delete,
                    id_parameter=match.group(1),
                    id_schema=parameter.schema if parameter else {},
                    owner_field=_owner_field(read.success_schema),
                )
            )
            break
    return tuple(found)


def _owner_field(schema: Mapping[str, Any]) -> str | None:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return None
    return next((name for name in OWNER_FIELDS if name in properties), None)
