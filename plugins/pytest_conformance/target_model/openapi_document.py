"""A target's OpenAPI document for response validation: operations by path, cached validators.

Paths match as the document's templates (``/items/{item_id}``), under the path of each of
the document's ``servers`` (or of the target's base URL); a literal path wins over a
templated one. Schemas are JSON Schema 2020-12 (OpenAPI 3.1) with ``$ref``s resolved inside
the document; OpenAPI 3.0 schemas are read as draft 4 with ``nullable`` turned into a type.
One validator per (operation, status, media type) is built on first use and kept.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import referencing
import referencing.jsonschema
from jsonschema.protocols import Validator

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DOCUMENT_URI = "urn:conformance:openapi-document"
_PARAMETER = re.compile(r"\{[^}/]+\}")


class DocumentError(Exception):
    """The document cannot be used; the message says why."""


def pointer_token(token: str) -> str:
    """``token`` escaped for a JSON pointer (RFC 6901 §3)."""
    return token.replace("~", "~0").replace("/", "~1")


def security_schemes(security: Any) -> tuple[str, ...] | None:
    """The scheme names of a security requirement list; None when it asks for nothing."""
    if not isinstance(security, list) or not security:
        return None
    names: list[str] = []
    for requirement in security:
        if not isinstance(requirement, dict) or not requirement:
            return None  # an empty alternative: credentials are optional
        names.extend(str(name) for name in requirement if str(name) not in names)
    return tuple(names)


def media_type(value: str) -> str:
    """``application/json`` of ``Application/JSON; charset=utf-8``."""
    return value.split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pointer: str  # JSON pointer of the operation object in the document
    responses: Mapping[str, Any]
    parameters: tuple[Any, ...]
    security: Any
    tags: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.method} {self.template}"

    @property
    def schemes(self) -> tuple[str, ...] | None:
        """The security scheme names the operation asks for; None when it is public (no
        requirement, or an empty ``{}`` alternative, which makes credentials optional)."""
        return security_schemes(self.security)

    @property
    def requires_credentials(self) -> bool:
        return self.schemes is not None

    def response_key(self, status: int) -> str | None:
        """The ``responses`` key covering ``status``: exact, ``4XX``-style range, ``default``."""
        keys = {str(key).upper(): str(key) for key in self.responses}
        for wanted in (str(status), f"{status // 100}XX", "DEFAULT"):
            if wanted in keys:
                return keys[wanted]
        return None


@dataclass(frozen=True)
class _Route:
    pattern: re.Pattern[str]
    template: str
    path_item: Mapping[str, Any]


class OpenAPIDocument:
    def __init__(self, document: Mapping[str, Any]) -> None:
        paths = document.get("paths")
        if not isinstance(paths, dict):
            raise DocumentError("it has no 'paths' object")
        version = str(document.get("openapi", ""))
        self.version = version
        self.source: Mapping[str, Any] = document  # as served (the fuzzer reads this one)
        self.document = dict(document)
        if version.startswith("3.0"):
            self.document = _nullable_as_type(copy.deepcopy(self.document))
            specification = referencing.jsonschema.DRAFT4
            self._validator_class: type[Validator] = jsonschema.Draft4Validator
        else:
            specification = referencing.jsonschema.DRAFT202012
            self._validator_class = jsonschema.Draft202012Validator
        resource = referencing.Resource.from_contents(
            self.document, default_specification=specification
        )
        self._registry: referencing.Registry[Any] = referencing.Registry().with_resource(
            DOCUMENT_URI, resource
        )
        self._prefixes = _server_prefixes(document.get("servers"))
        self._routes = sorted(
            (
                _Route(_template_regex(template), template, item)
                for template, item in paths.items()
                if isinstance(item, dict)
            ),
            # literal paths before templated ones, then the more specific first
            key=lambda route: (len(_PARAMETER.findall(route.template)), -len(route.template)),
        )
        self._validators: dict[tuple[str, str, str], Validator | None] = {}
        self._lock = threading.Lock()

    @property
    def base_path(self) -> str:
        """The path of the document's first server (``""`` when it names none)."""
        return self._prefixes[0]

    def find(self, method: str, path: str, base_path: str = "") -> Operation | None:
        """The documented operation answering ``method path``, or None (undocumented)."""
        for relative in self._candidates(path, base_path):
            for route in self._routes:
                if route.pattern.fullmatch(relative):
                    return self._operation(route, method)  # the path is documented
        return None

    def _candidates(self, path: str, base_path: str) -> Iterator[str]:
        prefixes = [*self._prefixes]
        if base_path and base_path not in prefixes:
            prefixes.append(base_path)
        for prefix in prefixes:
            if not prefix:
                yield path
            elif path == prefix or path.startswith(prefix + "/"):
                yield path[len(prefix) :] or "/"

    def _operation(self, route: _Route, method: str) -> Operation | None:
        operation = route.path_item.get(method.lower())
        if not isinstance(operation, dict):
            return None
        responses = operation.get("responses")
        shared = route.path_item.get("parameters", [])
        return Operation(
            method=method.upper(),
            template=route.template,
            pointer=f"/paths/{pointer_token(route.template)}/{method.lower()}",
            responses=responses if isinstance(responses, dict) else {},
            parameters=(*_listed(shared), *_listed(operation.get("parameters", []))),
            security=operation.get("security", self.document.get("security")),
            tags=tuple(str(tag) for tag in _listed(operation.get("tags", []))),
        )

    def operations(self) -> Iterator[Operation]:
        for route in self._routes:
            for method in METHODS:
                operation = self._operation(route, method)
                if operation is not None:
                    yield operation

    def resolve(self, node: Any) -> Any:
        """``node``, or what its local ``$ref`` points at (``components/responses``)."""
        for _ in range(20):
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                return node
            node = self._registry.resolver(DOCUMENT_URI).lookup(node["$ref"]).contents
        return node

    def validator_at(self, pointer: str) -> Validator:
        """The validator of the schema at JSON ``pointer`` in the document (its refs resolve)."""
        return self._validator_class({"$ref": f"{DOCUMENT_URI}#{pointer}"}, registry=self._registry)

    def validator(self, operation: Operation, status_key: str, declared: str) -> Validator | None:
        """The validator of the schema declared for ``status_key`` and media type ``declared``."""
        key = (operation.pointer, status_key, declared)
        with self._lock:
            if key in self._validators:
                return self._validators[key]
        response = self.resolve(operation.responses.get(status_key))
        content = response.get("content") if isinstance(response, dict) else None
        entry = content.get(declared) if isinstance(content, dict) else None
        found: Validator | None = None
        if isinstance(entry, dict) and "schema" in entry:
            # point into the document, so the schema's own "#/components/..." refs resolve
            pointer = (
                f"{operation.pointer}/responses/{pointer_token(status_key)}"
                f"/content/{pointer_token(declared)}/schema"
            )
            listed = operation.responses.get(status_key)
            if isinstance(listed, dict) and isinstance(listed.get("$ref"), str):
                pointer = _response_pointer(listed["$ref"], declared)
            found = self._validator_class(
                {"$ref": f"{DOCUMENT_URI}#{pointer}"}, registry=self._registry
            )
        with self._lock:
            self._validators[key] = found
        return found


def _response_pointer(ref: str, declared: str) -> str:
    return f"{ref.removeprefix('#')}/content/{pointer_token(declared)}/schema"


def _listed(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else ()


def _template_regex(template: str) -> re.Pattern[str]:
    parts = _PARAMETER.split(template)
    return re.compile("[^/]+".join(re.escape(part) for part in parts))


def _server_prefixes(servers: Any) -> list[str]:
    """The path part of each server URL (variables at their defaults); ``""`` when none."""
    prefixes: list[str] = []
    for server in servers if isinstance(servers, list) else []:
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url = server["url"]
        variables = server.get("variables")
        for name, variable in (variables if isinstance(variables, dict) else {}).items():
            if isinstance(variable, dict):
                url = url.replace(f"{{{name}}}", str(variable.get("default", "")))
        path = urlsplit(url).path.rstrip("/")
        if path not in prefixes:
            prefixes.append(path)
    return prefixes or [""]


def _nullable_as_type(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable: true`` as the JSON Schema type ``null``."""
    if isinstance(node, dict):
        if node.get("nullable") is True and isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        for value in node.values():
            _nullable_as_type(value)
    elif isinstance(node, list):
        for value in node:
            _nullable_as_type(value)
    return node
