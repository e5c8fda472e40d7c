"""Base settings every service extends with its own env prefix.

Stack-wide values (environment, log level, token issuer/audience, JWKS URL, data dir) are
read from unprefixed variables so one ``.env`` configures every service alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_MARKERS = ("change-me", "changeme", "placeholder", "dev-only", "insecure")


def _common(name: str) -> AliasChoices:
    return AliasChoices(name)


class ServiceSettings(BaseSettings):
    """Subclasses set ``model_config = SettingsConfigDict(env_prefix="AUTH_", ...)``."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    environment: Literal["dev", "test", "prod"] = Field(
        "dev", validation_alias=_common("PITWALL_ENV")
    )
    log_level: str = Field("INFO", validation_alias=_common("LOG_LEVEL"))
    data_dir: Path = Field(Path("var"), validation_alias=_common("PITWALL_DATA_DIR"))
    jwt_issuer: str = Field("pitwall-auth", validation_alias=_common("JWT_ISSUER"))
    jwt_audience: str = Field("pitwall", validation_alias=_common("JWT_AUDIENCE"))
    jwks_url: str = Field(
        "http://127.0.0.1:8001/.well-known/jwks.json", validation_alias=_common("JWKS_URL")
    )
    jwks_cache_seconds: int = Field(300, validation_alias=_common("JWKS_CACHE_SECONDS"))
    host: str = "127.0.0.1"
    port: int = 8000

    def secret_fields(self) -> tuple[str, ...]:
        """Names of fields that must not hold placeholder values in prod."""
        return ()

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> ServiceSettings:
        if self.environment != "prod":
            return self
        for name in self.secret_fields():
            value = getattr(self, name, "")
            text = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
            if not text or any(m in text.lower() for m in PLACEHOLDER_MARKERS):
                raise ValueError(f"{name} must be set to a real secret when PITWALL_ENV=prod")
        return self
