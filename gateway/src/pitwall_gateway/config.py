"""Gateway settings, read from ``GATEWAY_*`` variables (plus the stack-wide unprefixed ones)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from pitwall_shared.settings import ServiceSettings

DEFAULT_CORS_ORIGINS = "http://127.0.0.1:5173,http://localhost:5173"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_", env_file=".env", extra="ignore", populate_by_name=True
    )

    port: int = 8000
    auth_url: str = "http://127.0.0.1:8001"
    telemetry_url: str = "http://127.0.0.1:8002"
    analysis_url: str = "http://127.0.0.1:8003"
    report_url: str = "http://127.0.0.1:8004"

    cors_origins: str = DEFAULT_CORS_ORIGINS
    # Unset: counters live in this process. Set: shared by every gateway replica.
    redis_url: str | None = Field(
        None, validation_alias=AliasChoices("GATEWAY_REDIS_URL", "REDIS_URL")
    )
    rate_limit_key_prefix: str = "pitwall-gateway"
    rate_limit_strategy: str = "fixed-window"
    rate_limit_per_user: str = "600/minute"
    rate_limit_per_ip: str = "300/minute"
    # Password guessing and account spam: far fewer attempts per client address.
    rate_limit_login: str = "20/minute"

    max_body_bytes: int = 1_048_576
    connect_timeout_seconds: float = 1.0
    timeout_seconds: float = 10.0
    # Analysis may wait on a language model; report downloads stream whole PDFs.
    analysis_timeout_seconds: float = 60.0
    report_timeout_seconds: float = 60.0
    # The first request for a session may wait for a FastF1 load (seconds to tens of seconds).
    telemetry_timeout_seconds: float = 60.0
    # Retries on connection errors, for safe methods only.
    connect_retries: int = 1

    breaker_failure_threshold: int = 5
    breaker_reset_seconds: float = 15.0

    static_dir: Path | None = None
    # Set: /metrics is served only there (on HOST), never on the public port. Unset: on the
    # public port outside prod (local runs), not at all in prod.
    metrics_port: int | None = None
    # Only connections from these addresses may tell us the client address (X-Forwarded-For).
    trusted_proxies: str = ""
    # Verified tokens are remembered this long (by hash), so hot clients skip the signature check.
    token_cache_seconds: float = 30.0
    openapi_cache_seconds: float = 60.0
    # Measured here: under uvloop + httptools, a 21 kB proxied answer stalled 6-9 ms per
    # request (uncompressed, one client); the stdlib loop relayed it in ~1 ms over direct.
    event_loop: Literal["asyncio", "uvloop", "auto"] = "asyncio"

    @property
    def cors_origin_list(self) -> list[str]:
        return _split(self.cors_origins)

    @property
    def trusted_proxy_list(self) -> list[str]:
        return _split(self.trusted_proxies)


@lru_cache
def get_settings() -> Settings:
    return Settings()
