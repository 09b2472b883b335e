"""Header parameters the document declares on several operations: perhaps a key every
caller must send (a gateway's, a tenant's), which the profile's ``[headers]`` would carry.

The document cannot say whether the API requires it of every caller, nor its value: ``init``
writes a comment naming it, never a key.
"""

from __future__ import annotations

from pytest_conformance.target_model import DeclaredOperation

# headers the suite sets itself, or that carry content negotiation, caching or tracing
STANDARD = frozenset(
    {
        "accept", "accept-encoding", "accept-language", "authorization", "content-type",
        "cookie", "if-match", "if-none-match", "if-modified-since", "if-unmodified-since",
        "user-agent", "origin", "referer", "x-forwarded-for", "x-request-id",
        "x-correlation-id", "request-id", "x-trace-id", "traceparent", "idempotency-key",
    }
)  # fmt: skip
SHOWN = 3  # operations named in the comment


def header_hints(operations: list[DeclaredOperation]) -> list[str]:
    """One comment per header parameter declared by more than one operation (or required)."""
    by_header: dict[str, list[DeclaredOperation]] = {}
    spelled: dict[str, str] = {}
    for operation in operations:
        for parameter in operation.parameters:
            key = parameter.name.lower()
            if parameter.location != "header" or key in STANDARD:
                continue
            spelled.setdefault(key, parameter.name)
            by_header.setdefault(key, []).append(operation)
    hints = []
    for key, declaring in sorted(by_header.items()):
        required = any(
            (found := op.parameter(spelled[key], "header")) is not None and found.required
            for op in declaring
        )
        if len(declaring) < 2 and not required:
            continue
        names = ", ".join(f"{op.method} {op.template}" for op in declaring[:SHOWN])
        more = f" and {len(declaring) - SHOWN} more" if len(declaring) > SHOWN else ""
        hints.append(
            f"{len(declaring)} operations ({names}{more}) declare the header {spelled[key]!r}: "
            f'if the API requires it of every caller, send it with [headers] "{spelled[key]}" '
            '= "…" (never a declared scheme\'s credentials)'
        )
    return hints
