"""pytest plugin of the conformance suite: targets, transports, profile, check identity, report."""

from pytest_conformance.identity import CheckInfo, check
from pytest_conformance.observation.response_watch import DocumentUnavailable, ResponseWatch
from pytest_conformance.profile.applicability import not_applicable, unmapped
from pytest_conformance.profile.gating import require
from pytest_conformance.profile.sections import Profile
from pytest_conformance.targets.target import Target
from pytest_conformance.targets.websocket import WebSocketClosed, WebSocketRefused, WebSocketSession

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
