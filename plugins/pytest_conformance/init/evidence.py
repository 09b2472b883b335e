"""What the probes' answers say, as profile settings with the evidence for each.

Every function reads :class:`Probes` and answers a value and the comment that justifies it;
none guesses: where the answers say nothing, it answers None.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pytest_conformance.init.probes import (
    ORIGIN,
    REQUEST_ID_HEADERS,
    STYLE_ORDER,
    Answer,
    Probes,
    style_of,
)
from pytest_conformance.target_model import TargetModel

SECURITY_HEADERS = (
    "X-Content-Type-Options",
    "X-Frame-Options",
    "X-XSS-Protection",
    "Referrer-Policy",
)
# The reference app's document, as narrowly as it can be told: the tutorial's login, "me",
# and its items collection with exactly these templates and methods
TUTORIAL_OPERATIONS = frozenset(
    {
        ("POST", "/token"),
        ("GET", "/users/me"),
        ("GET", "/items"),
        ("POST", "/items"),
        ("GET", "/items/{item_id}"),
        ("PATCH", "/items/{item_id}"),
        ("DELETE", "/items/{item_id}"),
    }
)


@dataclass(frozen=True)
class Finding:
    value: object
    note: str


def looks_like_tutorial(model: TargetModel) -> bool:
    """Whether the document has the tutorial's login, me and items operations, unprefixed."""
    return {(op.method, op.template) for op in model.operations} >= TUTORIAL_OPERATIONS


def _listing(answers: list[Answer], limit: int = 4) -> str:
    shown = ", ".join(answer.line.replace(" answered ", " ") for answer in answers[:limit])
    more = f" and {len(answers) - limit} more" if len(answers) > limit else ""
    return shown + more


def envelope(probes: Probes) -> Finding | None:
    """The style most of the provoked error answers have; None when none was provoked."""
    if not probes.errors:
        return None
    styles = [(answer, style_of(answer)) for answer in probes.errors]
    counts = Counter(style for _, style in styles if style is not None)
    said = "; ".join(f"{answer.line} {style or 'in no known style'}" for answer, style in styles)
    if not counts:
        return Finding(None, f"no known envelope style in the real error answers: {said}")
    best = max(counts.items(), key=lambda kv: (kv[1], -STYLE_ORDER.index(kv[0])))[0]
    return Finding(best, f"from real answers: {said}")


def validation_status(probes: Probes) -> Finding | None:
    answer = probes.malformed_body
    if answer is None:
        return None
    return Finding(answer.status, f"{answer.line} for a JSON body that is not JSON")


def security_headers(probes: Probes) -> Finding | None:
    """True when every answer carries MW-01's headers, False when none carries any."""
    if not probes.answers:
        return None
    carrying = [a for a in probes.answers if any(name in a.headers for name in SECURITY_HEADERS)]
    if not carrying:
        return Finding(
            False,
            f"none of {len(probes.answers)} answers ({_listing(probes.answers)}) carried "
            + ", ".join(SECURITY_HEADERS),
        )
    sent = sorted({name for a in carrying for name in SECURITY_HEADERS if name in a.headers})
    if len(carrying) == len(probes.answers) and len(sent) == len(SECURITY_HEADERS):
        return Finding(True, f"every answer carried {', '.join(sent)}")
    return Finding(
        None,
        f"{len(carrying)} of {len(probes.answers)} answers carried {', '.join(sent)}: set "
        "security_headers = true if every answer should carry all four",
    )


def request_id(probes: Probes) -> Finding | None:
    """The request-id header the answers carry (value: its name), or False when none does."""
    if not probes.answers:
        return None
    for answer in probes.answers:
        for name in REQUEST_ID_HEADERS:
            if name in answer.headers:
                echoed = answer.headers[name] == probes.sent_request_id
                how = "echoing the X-Request-ID sent" if echoed else "with a value of its own"
                return Finding(name, f"{answer.line} with {name}, {how}")
    return Finding(
        False,
        f"none of {len(probes.answers)} answers ({_listing(probes.answers)}) carried "
        f"{' or '.join(REQUEST_ID_HEADERS)}, though each request sent X-Request-ID",
    )


def cors(probes: Probes) -> Finding | None:
    answer = probes.cors
    if answer is None:
        return None
    allowed = answer.headers.get("Access-Control-Allow-Origin")
    if allowed is None:
        return Finding(
            False,
            f"{answer.line} without Access-Control-Allow-Origin for Origin: {ORIGIN}; "
            "set true and [cors] allowed_origin if your app allows another origin",
        )
    return Finding(True, f"{answer.line} with Access-Control-Allow-Origin: {allowed}")


def protected(probes: Probes) -> list[Answer]:
    """The documented GETs that answered 401 or 403 without a token."""
    return [answer for _, answer in probes.unauthenticated if answer.status in (401, 403)]


def unauthenticated_status(probes: Probes) -> Finding | None:
    refused = protected(probes)
    statuses = {answer.status for answer in refused}
    if len(statuses) != 1:
        return None
    return Finding(
        statuses.pop(), f"{_listing(refused)} without a token, all alike ({len(refused)} routes)"
    )


def missing_challenge(probes: Probes) -> Finding | None:
    """False when every 401 to a request without a token lacks ``WWW-Authenticate``."""
    refused = [answer for _, answer in probes.unauthenticated if answer.status == 401]
    if not refused or any("www-authenticate" in answer.headers for answer in refused):
        return None
    return Finding(
        False,
        f"{_listing(refused)} without WWW-Authenticate ({_routes(len(refused))}); RFC 9110 "
        "§11.6.1 asks for one on every 401: the strict checks note it",
    )


def _routes(count: int) -> str:
    return f"{count} route" if count == 1 else f"{count} routes"


def open_secured(probes: Probes) -> list[Answer]:
    """GETs whose document asks for credentials but that answered 2xx without any."""
    return [
        answer
        for operation, answer in probes.unauthenticated
        if operation.secured and 200 <= answer.status < 300
    ]


def sub_apps(probes: Probes) -> Finding | None:
    """True when every sub-application document the tutorial mounts answered, else False."""
    answers = probes.sub_app_documents
    if not answers:
        return None
    served = [a for a in answers if a.status == 200 and isinstance(a.body, dict)]
    if len(served) == len(answers):
        return Finding(True, "; ".join(f"{a.line} with a document" for a in answers))
    return Finding(False, "; ".join(a.line for a in answers if a not in served))
