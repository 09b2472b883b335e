"""docs/profile.md documents every profile setting (issue 7: one reference page)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel
from pytest_conformance.profile.sections import Profile, ProfileError, profile_from_mapping

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "profile.md"


def _sections(text: str) -> dict[str, str]:
    """Each '## ' heading's text and its body."""
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _documented(text: str, section: str | None, key: str) -> bool:
    if section is None:
        return f"`{key}`" in _sections(text)["Top level"]
    if f"`{section}.{key}`" in text:
        return True
    bodies = [body for heading, body in _sections(text).items() if f"`[{section}]`" in heading]
    return any(re.search(rf"`{re.escape(key)}`", body) for body in bodies)


def test_every_setting_is_documented() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    missing = []
    for name, info in Profile.model_fields.items():
        model = info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            missing += [f"{name}.{key}" for key in model.model_fields
                        if not _documented(text, name, key)]  # fmt: skip
        elif not _documented(text, None, name):
            missing.append(name)
    assert not missing, f"docs/profile.md does not document {missing}"


def test_prefix_goes_before_every_path_but_the_unprefixed() -> None:
    profile = profile_from_mapping(
        {"paths": {"prefix": "/api/v1", "unprefixed": ["docs"], "token": "https://id.example/t",
                   "items": "/items/"}},
        "test",
    )  # fmt: skip
    paths = profile.paths
    assert (paths.items, paths.item) == ("/api/v1/items/", "/api/v1/items/{item_id}")
    assert paths.docs == "/docs" and paths.token == "https://id.example/t"
    assert paths.method_not_allowed == "DELETE /api/v1/request-context/1"
    assert (
        paths.sub_apps == ("/api/v1/v1", "/api/v1/v2") and paths.sub_app_item == "/items/{item_id}"
    )
    assert {route.path for route in profile.protected_routes} >= {"/api/v1/profile"}
    assert Profile().paths.items == "/items"


@pytest.mark.parametrize(
    ("headers", "said"),
    [
        ({"X API Key": "k"}, "'X API Key' is not a header name"),
        ({"X-API-Key": "k\r\nX-Admin: yes"}, "the value of 'X-API-Key' holds a line break"),
    ],
)
def test_headers_the_run_cannot_send_are_a_profile_error(
    headers: dict[str, str], said: str
) -> None:
    with pytest.raises(ProfileError, match=re.escape(said)):
        profile_from_mapping({"headers": headers}, "test")


def test_profile_headers_are_kept_as_given() -> None:
    profile = profile_from_mapping({"headers": {"X-API-Key": "k-1"}}, "test")
    assert profile.headers == {"X-API-Key": "k-1"}
