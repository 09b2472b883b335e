"""v2 items lose the '#' of their display name."""

from fastapi import FastAPI

import reference_app.factory
from reference_app.settings import Settings
from reference_app.versions import build_v2
from tests.mutants._base import reference
from tests.mutants._routes import drop_route

CAUGHT_BY = frozenset({"VER-01"})


def mutated_v2(settings: Settings) -> FastAPI:
    app = build_v2(settings)
    drop_route(app, "/items/{item_id}")

    @app.get("/items/{item_id}")
    async def get_item(item_id: int) -> dict[str, object]:
        return {"id": item_id, "name": f"item-{item_id}",
                "display_name": f"Item {item_id} (v2)", "version": "v2"}  # fmt: skip

    return app


reference_app.factory.build_v2 = mutated_v2  # type: ignore[assignment]
app = reference()
