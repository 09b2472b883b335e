"""config-info shows the secret key beside the harmless settings."""

from fastapi import APIRouter, Request

from tests.mutants._base import reference, shadow_routes

CAUGHT_BY = frozenset({"LIFE-02"})
PROFILE = 'secrets = ["mutant-secret-key-0123456789-abcdefghijklmnop"]'

router = APIRouter()


@router.get("/config-info")
async def config_info(request: Request) -> dict[str, object]:
    settings = request.app.state.settings
    return {"app_name": settings.app_name, "debug": settings.debug,
            "db_pool_size": settings.db_pool_size,
            "secret_key": settings.secret_key.get_secret_value()}  # fmt: skip


app = reference(secret_key="mutant-secret-key-0123456789-abcdefghijklmnop")
shadow_routes(app, router)
