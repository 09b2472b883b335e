"""Error envelope styles: one object per style, found by the name the profile gives.

A style knows its media types, whether a body has its shape (ERR-01), where its message
and details live, what ERR-02's machine-readable code means for it, and how its
validation details locate a field (ERR-03). Adding a style is adding one class here and
listing it in ``STYLES``.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

ERROR_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
}
_ENTRY_MESSAGE_KEYS = ("message", "detail", "msg", "title")

Problem = tuple[str, str]  # (what is wrong, what was expected)


def expected_code(status: int) -> str:
    return ERROR_CODES.get(status, "HTTP_ERROR")


class EnvelopeStyle:
    """The tutorial's ``{"error_code": str, "message": str, "details": any|null}``."""

    name: ClassVar[str] = "tutorial"
    media_types: ClassVar[tuple[str, ...]] = ("application/json",)
    shape: ClassVar[str] = '{"error_code": str, "message": str, "details": any|null}'
    json: ClassVar[bool] = True  # the body is a JSON object (else text)
    coded: ClassVar[bool] = True  # carries a code or status member (ERR-02 applies)
    structured_details: ClassVar[bool] = True  # validation details can locate a field
    # whether a 422's message is the profile's validation message (not a per-field one)
    validation_message: ClassVar[bool] = True

    def shape_problem(self, body: Any) -> str | None:
        """None when ``body`` has this style's shape, else what it lacks."""
        if not isinstance(body.get("error_code"), str) or not isinstance(body.get("message"), str):
            return self.shape
        if "details" not in body:
            return 'a "details" member (null when there are none)'
        return None

    def message(self, body: Any) -> Any:
        return body.get("message")

    def has_message(self, body: Any) -> bool:
        """Whether the style has a slot for a message in ``body``."""
        return True

    def details(self, body: Any) -> Any:
        return body.get("details")

    def code_problem(self, body: Any, status: int) -> Problem | None:
        """ERR-02: the machine-readable code against the HTTP status."""
        want = expected_code(status)
        if body.get("error_code") != want:
            return f"wrong error_code for {status} (ERR-02)", want
        return None

    def validation_problem(self, details: Any, loc: list[str]) -> Problem | None:
        """ERR-03: ``{loc, msg, type}`` entries, one of them locating ``loc``."""
        if not isinstance(details, list) or not details:
            return "422 details (ERR-03)", "a non-empty list of {loc, msg, type}"
        for entry in details:
            if not (
                isinstance(entry, dict)
                and isinstance(entry.get("loc"), list)
                and isinstance(entry.get("msg"), str)
                and isinstance(entry.get("type"), str)
            ):
                return "422 details entry (ERR-03)", "{loc: list, msg: str, type: str}"
        if not any(entry["loc"] == loc for entry in details):
            return "no 422 details entry locates the bad field (ERR-03)", f"loc == {loc}"
        return None


class ProblemDetails(EnvelopeStyle):
    """RFC 9457: ``{"type", "title", "status", "detail", ...}``; entries in ``errors``."""

    name = "rfc9457"
    media_types = ("application/problem+json", "application/json")
    shape = '{"type": str, "title": str, "status": int, "detail": str}'

    def shape_problem(self, body: Any) -> str | None:
        if not isinstance(body.get("title"), str) or not isinstance(body.get("status"), int):
            return self.shape
        return None

    def message(self, body: Any) -> Any:
        return body.get("detail")

    def details(self, body: Any) -> Any:
        return body.get("errors")

    def code_problem(self, body: Any, status: int) -> Problem | None:
        if body.get("status") != status:
            return "problem details 'status' differs from the HTTP status (ERR-02)", str(status)
        return None


class FastAPIDefault(EnvelopeStyle):
    """FastAPI's own ``{"detail": str | list}``: a string message or a list of entries."""

    name = "fastapi"
    shape = '{"detail": str | list}'
    coded = False

    def shape_problem(self, body: Any) -> str | None:
        return None if isinstance(body.get("detail"), str | list) else self.shape

    def message(self, body: Any) -> Any:
        return body.get("detail") if isinstance(body.get("detail"), str) else None

    def has_message(self, body: Any) -> bool:
        return isinstance(body.get("detail"), str)  # a list of entries has no message slot

    def details(self, body: Any) -> Any:
        return body.get("detail") if isinstance(body.get("detail"), list) else None

    def code_problem(self, body: Any, status: int) -> Problem | None:
        return None


class ErrorsList(EnvelopeStyle):
    """``{"errors": [...]}``, a non-empty list; the message is the first entry's."""

    name = "errors-list"
    media_types = ("application/json", "application/problem+json")
    shape = '{"errors": [<at least one entry>]}'
    coded = False
    validation_message = False

    def shape_problem(self, body: Any) -> str | None:
        errors = body.get("errors")
        return None if isinstance(errors, list) and errors else self.shape

    def message(self, body: Any) -> Any:
        errors = body.get("errors")
        return _entry_message(errors[0]) if isinstance(errors, list) and errors else None

    def details(self, body: Any) -> Any:
        return body.get("errors")

    def code_problem(self, body: Any, status: int) -> Problem | None:
        return None

    def validation_problem(self, details: Any, loc: list[str]) -> Problem | None:
        """Some entry locates the field: its ``loc``, or a value naming the field."""
        if not isinstance(details, list) or not details:
            return "422 details (ERR-03)", "a non-empty list of entries"
        if not any(_names(entry, loc) for entry in details):
            return (
                "no validation error names the bad field (ERR-03)",
                f"an entry naming {loc[-1]!r}",
            )
        return None


class ErrorsByField(EnvelopeStyle):
    """``{"errors": {"<field>": [messages]}}``, as the RealWorld (Conduit) API spec writes it."""

    name = "errors-map"
    shape = '{"errors": {<field>: [message, ...]}}'
    coded = False
    validation_message = False

    def shape_problem(self, body: Any) -> str | None:
        errors = body.get("errors")
        return None if isinstance(errors, dict) and errors else self.shape

    def message(self, body: Any) -> Any:
        errors = body.get("errors")
        first = next(iter(errors.values()), None) if isinstance(errors, dict) else None
        if isinstance(first, list) and first:
            first = first[0]
        return first if isinstance(first, str) else None

    def details(self, body: Any) -> Any:
        return body.get("errors")

    def code_problem(self, body: Any, status: int) -> Problem | None:
        return None

    def validation_problem(self, details: Any, loc: list[str]) -> Problem | None:
        if not isinstance(details, dict) or not details:
            return "422 errors (ERR-03)", "a non-empty {field: [messages]} object"
        if not any(key == loc[-1] or _names(value, loc) for key, value in details.items()):
            return "no validation error names the bad field (ERR-03)", f"a key {loc[-1]!r}"
        return None


class PlainText(EnvelopeStyle):
    """A non-empty ``text/plain`` body, which is the message."""

    name = "text"
    media_types = ("text/plain",)
    shape = "a non-empty text/plain body"
    json = False
    coded = False
    structured_details = False
    validation_message = False

    def shape_problem(self, body: Any) -> str | None:
        return None if str(body).strip() else self.shape

    def message(self, body: Any) -> Any:
        return str(body).strip()

    def details(self, body: Any) -> Any:
        return None

    def code_problem(self, body: Any, status: int) -> Problem | None:
        return None


STYLES: dict[str, EnvelopeStyle] = {
    style.name: style
    for style in (
        EnvelopeStyle(),
        ProblemDetails(),
        FastAPIDefault(),
        ErrorsList(),
        ErrorsByField(),
        PlainText(),
    )
}


def style_named(name: str) -> EnvelopeStyle:
    """The style of that name (the profile validated it against ``STYLES``)."""
    try:
        return STYLES[name]
    except KeyError:
        raise ValueError(f"no envelope style {name!r}; one of {', '.join(STYLES)}") from None


def shapes_of(content_type: str, body: bytes) -> tuple[str, ...]:
    """The shapes an error body shows (ERR-07): the names of the styles it has, else one
    name of its own (its media type and, for a JSON object, its sorted top-level members)."""
    kind = content_type.split(";")[0].strip().lower()
    try:
        parsed: Any = json.loads(body)
    except ValueError:
        parsed = None
    text = body.decode("utf-8", "replace")
    names = []
    for style in STYLES.values():
        if kind not in style.media_types:
            continue
        if style.json:
            if isinstance(parsed, dict) and style.shape_problem(parsed) is None:
                names.append(style.name)
        elif style.shape_problem(text) is None:
            names.append(style.name)
    if names:
        return tuple(names)
    if isinstance(parsed, dict):
        return (f"{kind or 'no content type'} {{{', '.join(sorted(parsed))}}}",)
    return (
        f"{kind or 'no content type'} {type(parsed).__name__ if parsed is not None else 'text'}",
    )


def _entry_message(entry: Any) -> Any:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        for key in _ENTRY_MESSAGE_KEYS:
            if isinstance(entry.get(key), str):
                return entry[key]
    return None


def _names(entry: Any, loc: list[str]) -> bool:
    """Whether ``entry`` locates the field: its ``loc``, or any value naming the field."""
    if isinstance(entry, dict):
        if entry.get("loc") == loc:
            return True
        return any(_names(value, loc) for value in entry.values())
    if isinstance(entry, list):
        return any(_names(value, loc) for value in entry)
    return isinstance(entry, str) and re.search(rf"\b{re.escape(loc[-1])}\b", entry) is not None
