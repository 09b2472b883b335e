"""``conformance init``: a starting profile from a target's OpenAPI document and a few
harmless probes of the target (``probes``), each setting with its evidence as a comment."""

from pytest_conformance.init.document import InitError, Reading
from pytest_conformance.init.probes import Login, Prober, Probes, parse_user
from pytest_conformance.init.reading import (
    DOCUMENT_CANDIDATES,
    open_document,
    read_document,
    without_document,
)
from pytest_conformance.init.render import render

__all__ = [
    "DOCUMENT_CANDIDATES",
    "InitError",
    "Login",
    "Prober",
    "Probes",
    "Reading",
    "open_document",
    "parse_user",
    "read_document",
    "render",
    "without_document",
]
