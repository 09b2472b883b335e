"""pytest plugin of the conformance suite: targets, transports, profile, check identity, report."""

from pytest_conformance.applicability import not_applicable, unmapped
from pytest_conformance.gating import require
from pytest_conformance.identity import CheckInfo, check
from pytest_conformance.profile import Profile
from pytest_conformance.response_watch import DocumentUnavailable, ResponseWatch
from pytest_conformance.target import Target
from pytest_conformance.websocket import WebSocketClosed, WebSocketRefused, WebSocketSession

__all__ = [
    "CheckInfo",
    "DocumentUnavailable",
    "Profile",
    "ResponseWatch",
    "Target",
    "WebSocketClosed",
    "WebSocketRefused",
    "WebSocketSession",
    "check",
    "not_applicable",
    "require",
    "unmapped",
]
