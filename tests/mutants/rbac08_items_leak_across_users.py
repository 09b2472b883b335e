"""An owned collection (notes with an owner_id) lets any signed-in user read, change and
delete another user's notes."""

from tests.mutants._base import reference
from tests.mutants._notes import notes_router

CAUGHT_BY = frozenset({"RBAC-08"})

app = reference()
app.include_router(notes_router(leak=True))
