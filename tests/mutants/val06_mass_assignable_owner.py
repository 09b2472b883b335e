"""An owned collection's create takes owner_id and is_admin from the body, though its
request schema declares neither."""

from tests.mutants._base import reference
from tests.mutants._notes import notes_router

CAUGHT_BY = frozenset({"VAL-06"})

app = reference()
app.include_router(notes_router(mass_assignable=True))
