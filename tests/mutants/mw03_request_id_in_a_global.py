"""The request ID lives in a module global instead of a ContextVar: concurrent requests bleed."""

from typing import Any

import reference_app.middleware.request_id
import reference_app.request_context
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"MW-03"})


class SharedSlot:
    """ContextVar's interface, one value for the whole process."""

    value: Any = None

    def get(self) -> Any:
        return self.value

    def set(self, value: Any) -> None:
        self.value = value

    def reset(self, token: Any) -> None:
        pass


slot = SharedSlot()
reference_app.request_context.request_id_var = slot  # type: ignore[assignment]
reference_app.middleware.request_id.request_id_var = slot  # type: ignore[assignment]
app = reference()
