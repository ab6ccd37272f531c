"""Settings, read once at start-up from the environment and `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot import PROJECT_ROOT

DISCORD_API = "https://discord.com/api/v10"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


class Settings(BaseSettings):
    """Every knob the bot has. Built once and passed down; nothing else reads os.environ."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = None
    data_dir: Path = PROJECT_ROOT / "data"
    database_url: str = ""
    discord_api_base: str = DISCORD_API
    log_level: str = "INFO"
    dev_guild_id: int | None = None
    content_dir: Path = PROJECT_ROOT / "content"
    daily_post_grace_minutes: int = Field(default=120, ge=0, le=24 * 60)
    season_start_month: int = Field(default=7, ge=1, le=12)
    daily_post_claim_timeout_seconds: int = Field(default=120, ge=1, le=3600)
    guild_ready_timeout: float = Field(default=2.0, ge=0.05, le=60)
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    web_public_url: str = ""
    # Sharding across processes: every process gets the same SHARD_COUNT and its own SHARD_IDS.
    shard_count: int | None = Field(default=None, ge=1, le=10000)
    shard_ids: Annotated[list[int] | None, NoDecode] = None

    @field_validator("discord_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("dev_guild_id", mode="before")
    @classmethod
    def _blank_guild_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("discord_api_base")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("web_public_url")
    @classmethod
    def _web_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value and "://" not in value:
            raise ValueError("must be a SQLAlchemy URL such as sqlite+aiosqlite:///data/calcio.db")
        return value

    @field_validator("shard_count", mode="before")
    @classmethod
    def _blank_count_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """`0,1` or `0-3` (or a mix: `0,2-3`) from the environment; a list from code."""
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        ids: list[int] = []
        for part in value.replace(" ", "").split(","):
            low, _, high = part.partition("-")
            if not low.isdigit() or (high and not high.isdigit()):
                raise ValueError("must be shard numbers such as 0,1 or 0-3")
            ids.extend(range(int(low), int(high or low) + 1))
        return ids

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        if self.shard_ids is None:
            return self
        if self.shard_count is None:
            raise ValueError("SHARD_IDS needs SHARD_COUNT (the total number of shards over all processes)")
        if not self.shard_ids or len(set(self.shard_ids)) != len(self.shard_ids):
            raise ValueError("SHARD_IDS must list distinct shard numbers")
        if any(not 0 <= i < self.shard_count for i in self.shard_ids):
            raise ValueError(f"SHARD_IDS must be between 0 and SHARD_COUNT-1 ({self.shard_count - 1})")
        return self

    @property
    def db_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{self.data_dir / 'calcio-quiz.db'}"

    @property
    def web_base(self) -> str:
        """Where fans reach the web pages (WEB_PUBLIC_URL, else the local host and port)."""
        return self.web_public_url or f"http://{self.web_host}:{self.web_port}"

    @property
    def token(self) -> str | None:
        return self.discord_token.get_secret_value() if self.discord_token else None


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning a validation error into one clear ConfigError line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]).upper() or "settings"
            problems.append(f"{name}: {err['msg']}")
        raise ConfigError("Invalid setting " + "; ".join(problems)) from None
