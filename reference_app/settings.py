"""Configuration from environment variables and an optional ``.env`` file in the cwd."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SECRET_MIN_LENGTH = 32

# Secrets have no default on purpose (LIFE-03): a missing one stops startup.
Secret = Annotated[SecretStr, Field(min_length=SECRET_MIN_LENGTH)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        case_sensitive=False,
        extra="ignore",
    )

    app_name: str = "My API"
    debug: bool = False
    secret_key: Secret
    jwt_secret_key: Secret
    database_url: str = "sqlite+aiosqlite:///./reference_app.db"
    db_pool_size: int = Field(default=10, ge=1)
    allowed_origins: Annotated[list[str], NoDecode] = ["http://localhost:3000"]
    # Argon2id cost (OWASP's minimum by default). Raise it where logins may be slower;
    # the project's own tests lower it where no check times the hash.
    password_hash_time_cost: int = Field(default=2, ge=1)
    password_hash_memory_kib: int = Field(default=19 * 1024, ge=8)
    jwt_algorithm: str = "HS256"
    jwt_expire_minutes: int = Field(default=30, ge=1)
    rate_limit_max_requests: int = Field(default=5, ge=1)
    rate_limit_window_seconds: float = Field(default=60, gt=0)
    # "memory": per process; "redis": one budget shared by every process (RATE-04).
    rate_limit_backend: Literal["memory", "redis"] = "memory"
    redis_url: str = "redis://127.0.0.1:6379/0"
    # WebSocket broadcasts: "memory" reaches this process's clients, "redis" all (WS-07).
    broadcast_backend: Literal["memory", "redis"] = "memory"
    # What an undecodable pagination cursor does (PAGE-04): start over, or answer 400.
    invalid_cursor: Literal["restart", "400"] = "restart"
    error_envelope: Literal["tutorial", "rfc9457"] = "tutorial"
    access_log_logger: str = "reference_app.access"

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        """Accept a JSON list or a comma-separated string from the environment."""
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [part.strip() for part in text.split(",") if part.strip()]


class ConfigurationError(RuntimeError):
    """Settings are unusable; ``str(exc)`` is a one-line message safe to print."""


INIT_ENV_HINT = "`python -m reference_app init-env` writes a .env with fresh random secrets"


def describe_settings_error(exc: ValidationError) -> str:
    """One line naming each bad variable, without echoing any submitted value."""
    problems: list[str] = []
    secret_problem = False
    for error in exc.errors(include_input=False, include_url=False):
        name = str(error["loc"][0]).upper() if error["loc"] else "SETTINGS"
        if name in {"SECRET_KEY", "JWT_SECRET_KEY"}:
            secret_problem = True
        if error["type"] == "missing":
            problems.append(f"{name} is missing")
        elif error["type"] in {"too_short", "string_too_short"}:
            problems.append(f"{name} is too short")
        else:
            problems.append(f"{name} is invalid ({error['msg']})")
    message = "; ".join(problems) or "invalid settings"
    message += f": set {'them' if len(problems) > 1 else 'it'} in the environment or .env"
    if secret_problem:
        message += f" (secrets need at least {SECRET_MIN_LENGTH} characters); {INIT_ENV_HINT}"
    return message


def load_settings(**overrides: Any) -> Settings:
    """Build Settings, turning a ValidationError into a ConfigurationError."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigurationError(describe_settings_error(exc)) from None
