"""Small shared dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from reference_app.settings import Settings


def get_settings(request: Request) -> Settings:
    """The app's settings (overridable through ``app.dependency_overrides``)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]
