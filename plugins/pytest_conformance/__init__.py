"""pytest plugin of the conformance suite: targets, transports, profile, check identity, report."""

from pytest_conformance.identity import CheckInfo, check
from pytest_conformance.profile import Profile
from pytest_conformance.target import Target
from pytest_conformance.websocket import WebSocketClosed, WebSocketRefused, WebSocketSession

__all__ = [
    "CheckInfo",
    "Profile",
    "Target",
    "WebSocketClosed",
    "WebSocketRefused",
    "WebSocketSession",
    "check",
]
