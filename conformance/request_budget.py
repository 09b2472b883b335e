"""The most requests a property check sends to one operation (``[limits]
requests_per_operation``), counted per operation so one busy list cannot starve a create."""

from __future__ import annotations

from collections import Counter

from pytest_conformance import Profile
from pytest_conformance.target_model import DeclaredOperation


class BudgetSpent(RuntimeError):
    """The check would send one request more than the profile allows to one operation."""


class RequestBudget:
    def __init__(self, profile: Profile) -> None:
        self.limit = profile.limits.requests_per_operation
        self.spent: Counter[str] = Counter()

    def spend(self, operation: DeclaredOperation, count: int = 1) -> None:
        if self.spent[operation.name] + count > self.limit:
            raise BudgetSpent(
                f"{operation.name} would need more than {self.limit} requests "
                "([limits] requests_per_operation)"
            )
        self.spent[operation.name] += count

    def left(self, operation: DeclaredOperation) -> int:
        return self.limit - self.spent[operation.name]
