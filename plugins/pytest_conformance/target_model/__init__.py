"""What the suite learns about a target from its OpenAPI document, before any check runs.

The model names the target's own operations, login, collections, list operations and
streams, so that checks judge the target by what it declares instead of by the tutorial's
paths. It is built once per run from the document alone (:func:`build_model`); the
profile corrects what it gets wrong.
"""

from pytest_conformance.target_model.collections import Collection
from pytest_conformance.target_model.lists import ListOperation
from pytest_conformance.target_model.login import Login
from pytest_conformance.target_model.model import TargetModel, build_model
from pytest_conformance.target_model.operations import DeclaredOperation
from pytest_conformance.target_model.streams import StreamOperation

__all__ = [
    "Collection",
    "DeclaredOperation",
    "ListOperation",
    "Login",
    "StreamOperation",
    "TargetModel",
    "build_model",
]
