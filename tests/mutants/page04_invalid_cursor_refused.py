"""An undecodable cursor is refused with a 400 where the profile promises a restart."""

from tests.mutants._base import reference

CAUGHT_BY = frozenset({"PAGE-04"})

app = reference(invalid_cursor="400")
