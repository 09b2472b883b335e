"""A buffering layer holds stream items back and flushes them two at a time."""

from collections.abc import AsyncIterator

from reference_app.database import Diagnostics
from reference_app.routers import streams
from tests.mutants._base import reference

CAUGHT_BY = frozenset({"STREAM-03"})

original = streams._tracked


async def buffered(chunks: AsyncIterator[str], diagnostics: Diagnostics) -> AsyncIterator[str]:
    held: list[str] = []
    async for chunk in original(chunks, diagnostics):
        held.append(chunk)
        if len(held) == 2:
            yield "".join(held)
            held.clear()
    if held:
        yield "".join(held)


streams._tracked = buffered
app = reference()
