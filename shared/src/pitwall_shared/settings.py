"""Base settings every service extends with its own env prefix.

Stack-wide values (environment, log level, token issuer/audience, JWKS URL, data dir) are
read from unprefixed variables so one ``.env`` configures every service alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# A secret shorter than this is guessable or a leftover; `openssl rand -hex 24` gives 48.
MIN_SECRET_LENGTH = 24
# Text found in sample and development values, refused anywhere in a prod secret.
PLACEHOLDER_MARKERS = (
    "change-me",
    "changeme",
    "change_me",
    "replace-me",
    "replaceme",
    "placeholder",
    "dev-only",
    "insecure",
    "example",
    "secret",
    "password",
    "passwd",
    "default",
    "xxxxxx",
    "123456",
)
# Prefixes of the development and test values used in this repository.
PLACEHOLDER_PREFIXES = ("dev-", "dev_", "test-", "test_", "demo-", "local-")
# Too few distinct characters ("aaaa...", "abababab...") means typed, not generated.
MIN_DISTINCT_CHARACTERS = 10


def _common(name: str) -> AliasChoices:
    return AliasChoices(name)


class ServiceSettings(BaseSettings):
    """Subclasses set ``model_config = SettingsConfigDict(env_prefix="AUTH_", ...)``."""

    # Hidden inputs: a refused setting's error must not print the secrets next to it.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", populate_by_name=True, hide_input_in_errors=True
    )

    environment: Literal["dev", "test", "prod"] = Field(
        "dev", validation_alias=_common("PITWALL_ENV")
    )
    log_level: str = Field("INFO", validation_alias=_common("LOG_LEVEL"))
    # One JSON line per request (``<PREFIX>ACCESS_LOG=false`` turns it off), whatever LOG_LEVEL.
    access_log: bool = True
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
        """Names of fields that must hold a real secret in prod (no default, no placeholder)."""
        return ()

    def optional_secret_fields(self) -> tuple[str, ...]:
        """Fields that may stay unset in prod, but when set are held to the same rules."""
        return ()

    def secret_parts(self, name: str, value: str) -> list[str]:
        """The separate secrets a field's value carries (a list of client secrets, say)."""
        return [value] if value else []

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> ServiceSettings:
        if self.environment != "prod":
            return self
        checked = [(name, True) for name in self.secret_fields()]
        checked += [(name, False) for name in self.optional_secret_fields()]
        for name, required in checked:
            text = _secret_text(getattr(self, name, None))
            if not text and not required:
                continue
            parts = self.secret_parts(name, text)
            reasons = [weak_secret_reason(part) for part in parts] or ["is empty"]
            reason = next((r for r in reasons if r is not None), None)
            if reason is not None:
                # The value itself is never echoed: it may be a real secret with a flaw.
                raise ValueError(
                    f"{self._env_name(name)} {reason}; with PITWALL_ENV=prod every secret "
                    f"must be a generated value of at least {MIN_SECRET_LENGTH} characters "
                    "(e.g. `openssl rand -hex 24`)"
                )
        return self

    @classmethod
    def _env_name(cls, field: str) -> str:
        alias = cls.model_fields[field].validation_alias
        if isinstance(alias, AliasChoices) and isinstance(alias.choices[0], str):
            return alias.choices[0]
        if isinstance(alias, str):
            return alias
        return f"{cls.model_config.get('env_prefix', '')}{field}".upper()


def _secret_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    return str(value)


def weak_secret_reason(text: str) -> str | None:
    """Why ``text`` is not acceptable as a prod secret, or None when it is."""
    lowered = text.strip().lower()
    if not lowered:
        return "is empty"
    if lowered.startswith(PLACEHOLDER_PREFIXES) or any(m in lowered for m in PLACEHOLDER_MARKERS):
        return "is a placeholder"
    if len(text) < MIN_SECRET_LENGTH:
        return f"is shorter than {MIN_SECRET_LENGTH} characters"
    if len(set(text)) < MIN_DISTINCT_CHARACTERS:
        return f"has fewer than {MIN_DISTINCT_CHARACTERS} distinct characters"
    return None
