"""The one settings object: environment variables with the ``SERVTRADE_`` prefix.

Nothing reads the environment at import time; call :func:`load_settings`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import pydantic
from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from servtrade.errors import ConfigError, ErrorDetail

# Not a secret: the development placeholder that production refuses.
DEFAULT_SECRET_KEY = "dev-insecure-secret-change-me"  # noqa: S105
ENV_PREFIX = "SERVTRADE_"


class Environment(StrEnum):
    DEV = "dev"
    PRODUCTION = "production"


class LogLevel(StrEnum):
    DEBUG = "DEBUG"
    INFO = "INFO"
    WARNING = "WARNING"
    ERROR = "ERROR"


class Settings(BaseSettings):
    """All configuration of servtrade. Each field is ``SERVTRADE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore", frozen=True)

    data_dir: Path = Field(Path(".servtrade"), description="where the store and database live")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default: SQLite file servtrade.db in the data dir"
    )
    host: str = Field("127.0.0.1", description="address the web server binds to")
    port: int = Field(8000, ge=1, le=65535, description="TCP port of the web server")
    workers: int = Field(
        1, ge=1, le=32, description="web server processes; 2 or more use several cores"
    )
    db_pool_size: int = Field(
        20,
        ge=1,
        le=200,
        description="database connections each server process keeps open (more are opened "
        "and closed again under bursts, up to as many again)",
    )
    log_level: LogLevel = LogLevel.INFO
    environment: Environment = Environment.DEV
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET_KEY)
    shared_dir: Path | None = Field(
        None, description="folder with the shared public datasets (default: ../shared if present)"
    )
    open_registration: bool = Field(
        False, description="let anyone register as public or buyer (else by invitation only)"
    )

    @model_validator(mode="after")
    def _production_needs_secret(self) -> Settings:
        if self.environment is Environment.PRODUCTION and (
            self.secret_key.get_secret_value() in ("", DEFAULT_SECRET_KEY)
        ):
            raise ValueError(
                "must be set to a non-default value when SERVTRADE_ENVIRONMENT=production"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'servtrade.db').resolve()}"

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"


_ACCEPTED = {
    "port": "a whole number from 1 to 65535",
    "workers": "a whole number from 1 to 32",
    "db_pool_size": "a whole number from 1 to 200",
    "log_level": "one of " + ", ".join(v.value for v in LogLevel),
    "environment": "one of " + ", ".join(v.value for v in Environment),
}


def _detail(err: Any, env: dict[str, str] | None) -> ErrorDetail:
    loc = [str(p) for p in err.get("loc", ())]
    name = loc[0] if loc else "secret_key"
    var = ENV_PREFIX + name.upper()
    raw = err.get("input")
    if isinstance(raw, dict):
        raw = (env or {}).get(var, raw.get(name))
    value = None if name == "secret_key" else (None if raw is None else str(raw))
    accepted = _ACCEPTED.get(name, err.get("msg", "a valid value"))
    if name == "secret_key" or not loc:
        var, accepted = (
            ENV_PREFIX + "SECRET_KEY",
            str(err.get("msg", "")).removeprefix("Value error, "),
        )
    return ErrorDetail(message=f"expected {accepted}", field=var, value=value)


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; an invalid variable raises one :class:`ConfigError`."""
    try:
        return Settings(**overrides)
    except pydantic.ValidationError as exc:
        import os

        details = [_detail(e, dict(os.environ)) for e in exc.errors()]
        first = details[0]
        shown = f" is {first.value!r}" if first.value is not None else ""
        # One bad variable is one line; several are listed one per line under it.
        raise ConfigError(
            f"invalid setting {first.field}{shown}: {first.message}",
            errors=details if len(details) > 1 else [],
        ) from exc


def bundled_data_dir() -> Path:
    """The shipped domain data (``data/`` of the repository, or its copy inside a wheel)."""
    here = Path(__file__).resolve().parent
    packaged = here / "_bundled"
    if packaged.is_dir():  # pragma: no cover - only inside an installed wheel
        return packaged
    return here.parent.parent / "data"


def shared_data_dir(settings: Settings | None = None) -> Path | None:
    """The public datasets folder (``../shared`` beside the checkout) when present."""
    if settings is not None and settings.shared_dir is not None:
        return settings.shared_dir if settings.shared_dir.is_dir() else None
    candidate = bundled_data_dir().parent.parent / "shared"
    return candidate if candidate.is_dir() else None
