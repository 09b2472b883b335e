"""The app resolves its dependencies past ``dependency_overrides`` (overrides never apply)."""

from typing import Any

from tests.mutants._base import reference

CAUGHT_BY = frozenset({"DI-03"})


class IgnoredOverrides(dict[Any, Any]):
    def get(self, key: Any, default: Any = None) -> Any:
        return default


app = reference()
app.dependency_overrides = IgnoredOverrides()
