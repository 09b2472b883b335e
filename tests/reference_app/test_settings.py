"""LIFE-03 and the command line: secrets are required and errors are one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from refapp_support import JWT_SECRET, SECRET

import reference_app
from reference_app.__main__ import main
from reference_app.settings import ConfigurationError, load_settings

ENV_NAMES = ("SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL", "ERROR_ENVELOPE")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


def test_missing_secret_names_the_variable(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("JWT_SECRET_KEY", JWT_SECRET)
    with pytest.raises(ConfigurationError) as info:
        load_settings()
    message = str(info.value)
    assert "SECRET_KEY is missing" in message
    assert "JWT_SECRET_KEY" not in message
    assert "init-env" in message and "\n" not in message


def test_short_secret_is_refused_without_echoing_it(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("SECRET_KEY", SECRET)
    clean_env.setenv("JWT_SECRET_KEY", "short-but-secret-value")
    with pytest.raises(ConfigurationError) as info:
        load_settings()
    assert "JWT_SECRET_KEY is too short" in str(info.value)
    assert "short-but-secret-value" not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_dotenv_file_in_cwd_is_read(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"secret_key={SECRET}\nJWT_SECRET_KEY={JWT_SECRET}\n")
    clean_env.setenv("ALLOWED_ORIGINS", "http://a.example, http://b.example")
    settings = load_settings()
    assert settings.secret_key.get_secret_value() == SECRET
    assert settings.allowed_origins == ["http://a.example", "http://b.example"]
    assert SECRET not in repr(settings)


def test_create_app_without_secrets_refuses(clean_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY is missing"):
        reference_app.create_app()


def test_module_level_app_is_lazy_and_cached(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.delitem(vars(reference_app), "app", raising=False)
    with pytest.raises(ConfigurationError):
        _ = reference_app.app
    clean_env.setenv("SECRET_KEY", SECRET)
    clean_env.setenv("JWT_SECRET_KEY", JWT_SECRET)
    clean_env.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'lazy.db'}")
    first = reference_app.app
    assert first is reference_app.app
    assert first.state.settings.secret_key.get_secret_value() == SECRET
    clean_env.delitem(vars(reference_app), "app")


def test_serve_with_bad_settings_exits_2(
    clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "SECRET_KEY is missing" in err
    assert "Traceback" not in err


def test_init_env_writes_fresh_secrets_and_refuses_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.env"
    assert main(["init-env", "--path", str(target)]) == 0
    first = target.read_text()
    values = dict(
        line.split("=", 1) for line in first.splitlines() if line and not line.startswith("#")
    )
    assert set(values) == {"SECRET_KEY", "JWT_SECRET_KEY"}
    assert all(len(value) >= 32 for value in values.values())
    assert values["SECRET_KEY"] != values["JWT_SECRET_KEY"]
    assert main(["init-env", "--path", str(target)]) == 1
    assert target.read_text() == first
    assert main(["init-env", "--path", str(target), "--force"]) == 0
    assert target.read_text() != first
    assert (target.stat().st_mode & 0o777) == 0o600
