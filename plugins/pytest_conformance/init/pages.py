"""The paginated lists and streams a document shows, as [paths] and [pagination] keys."""

from __future__ import annotations

import re
from typing import Any

from pytest_conformance.init.document import Operation, ReaderState, _success_schema, resolve
from pytest_conformance.profile.sections import Pagination
from pytest_conformance.target_model.lists import PAIRS

# (offset-like, size-like, style): the target model's pairs; cursors are read apart
PAGINATION_PAIRS = tuple(pair for pair in PAIRS if pair[2] != "cursor")


class PagesReading(ReaderState):
    def _pagination(self) -> None:
        for operation in sorted(self.operations, key=lambda op: len(op.path)):
            if operation.method != "GET" or operation.path.endswith("}"):
                continue
            params = operation.parameters()
            if "cursor" in params:
                self._cursor(operation, params)
                continue
            if self.offset_read:
                continue
            for offset, size, style in PAGINATION_PAIRS:
                if offset in params and size in params:
                    self._offset(operation, params, offset, size, style)
                    self.offset_read = True
                    break

    def _offset(
        self, operation: Operation, params: dict[str, Any], offset: str, size: str, style: str
    ) -> None:
        path = self.relative(operation.path)
        if self.found.get("items") != path:
            self.reading.set("paths", "items", path, f"paginated by {offset}/{size}")
        self.found["items"] = path
        item = next(
            (
                self.relative(op.path)
                for op in self.operations
                if op.method == "GET"
                and re.fullmatch(re.escape(operation.path.rstrip("/")) + r"/\{[^}/]+\}", op.path)
            ),
            None,
        )
        if item is not None:
            parameter = re.search(r"\{([^}]+)\}$", item)
            assert parameter is not None
            self.reading.set("paths", "item", item.replace(parameter.group(0), "{item_id}"))
        pagination: dict[str, Any] = {}
        if (offset, size) != ("skip", "limit"):
            pagination.update(style=style, offset_param=offset, limit_param=size)
        schema = params[size] if isinstance(params[size], dict) else {}
        if isinstance(schema.get("default"), int):
            pagination["default_limit"] = schema["default"]
        if isinstance(schema.get("maximum"), int):
            pagination["max_limit"] = schema["maximum"]
            documented = {str(code) for code in operation.spec.get("responses", {})}
            bad = 400 if "400" in documented else self._validation_status()
            pagination["max_limit_status"] = bad
        _, body, _ = _success_schema(operation)
        properties = body.get("properties", {}) if isinstance(body, dict) else {}
        self._page_fields(properties, pagination, offset, size)
        for key, value in pagination.items():
            if value != Pagination.model_fields[key].default:
                self.reading.set("pagination", key, value)

    def _page_fields(
        self, properties: dict[str, Any], pagination: dict[str, Any], offset: str, size: str
    ) -> None:
        lists = [
            name
            for name, prop in properties.items()
            if isinstance(resolve(self.doc, prop), dict)
            and resolve(self.doc, prop).get("type") == "array"
        ]
        if lists and lists[0] != "items":
            pagination["items_field"] = lists[0]
        totals = [name for name in properties if name in ("total", "count", "total_count")]
        if totals:
            pagination["total_field"] = totals[0]
        if properties:
            pagination["skip_field"] = offset if offset in properties else ""
            pagination["limit_field"] = size if size in properties else ""

    def _cursor(self, operation: Operation, params: dict[str, Any]) -> None:
        path = self.relative(operation.path)
        self.found["items_cursor"] = path
        self.reading.set("paths", "items_cursor", path, "takes a cursor parameter")
        sizes = [name for name in ("limit", "size", "page_size", "per_page") if name in params]
        if sizes and sizes[0] != "limit":
            self.reading.set("pagination", "cursor_limit_param", sizes[0])
        _, body, _ = _success_schema(operation)
        properties = body.get("properties", {}) if isinstance(body, dict) else {}
        cursors = [name for name in properties if "cursor" in name]
        if cursors and cursors[0] != "next_cursor":
            self.reading.set("pagination", "next_cursor_field", cursors[0])
        flags = [
            name
            for name, prop in properties.items()
            if isinstance(prop, dict) and prop.get("type") == "boolean"
        ]
        if properties and not flags:
            self.reading.set(
                "pagination",
                "has_more_field",
                "",
                "no boolean member: more pages exactly when a cursor is given",
            )

    def _streams(self) -> None:
        for operation in self.operations:
            if operation.method != "GET":
                continue
            for response in operation.spec.get("responses", {}).values():
                content = resolve(self.doc, response).get("content", {})
                for media in content if isinstance(content, dict) else {}:
                    path = self.relative(operation.path)
                    if media in (
                        "application/x-ndjson",
                        "application/jsonl",
                        "application/jsonlines",
                    ):
                        self.found["stream_data"] = path
                        self.reading.set("paths", "stream_data", path)
                        if media != "application/x-ndjson":
                            self.reading.set("streams", "ndjson_content_type", media)
                    elif media == "text/event-stream":
                        self.found["stream_events"] = path
                        self.reading.set("paths", "stream_events", path)

    def _validation_status(self) -> int:
        statuses = {str(code) for op in self.operations for code in op.spec.get("responses", {})}
        return 422 if "422" in statuses or "400" not in statuses else 400
