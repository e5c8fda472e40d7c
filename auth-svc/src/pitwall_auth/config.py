"""auth-svc settings: ``AUTH_`` prefix, plus the stack-wide values from ``ServiceSettings``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from pitwall_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="AUTH_", env_file=".env", extra="ignore", populate_by_name=True
    )

    port: int = 8001
    # Also read unprefixed so one DATABASE_URL can serve a single-service deployment.
    database_url: str | None = Field(
        None, validation_alias=AliasChoices("AUTH_DATABASE_URL", "DATABASE_URL")
    )
    keys_dir: Path | None = None
    access_token_minutes: int = Field(15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(30, ge=1, le=365)
    service_token_minutes: int = Field(5, ge=1, le=60)
    # A retired key must outlive every token it signed plus verifiers' JWKS cache.
    key_overlap_minutes: int = Field(60, ge=1)
    # How often the running service rescans the key directory for rotated keys.
    key_rescan_seconds: float = Field(30.0, ge=0)
    service_clients: SecretStr = SecretStr("")
    report_url: str = "http://127.0.0.1:8004"
    # Ask conversations are deleted there with the account.
    analysis_url: str = "http://127.0.0.1:8003"
    # Where password changes and deletions void earlier access tokens (the gateway follows).
    redis_url: str | None = Field(
        None, validation_alias=AliasChoices("AUTH_REDIS_URL", "REDIS_URL")
    )
    report_timeout_seconds: float = 10.0
    # Sign-in throttle. Counted per (email, client address): an attacker elsewhere locks out
    # only their own address. Each further lockout of one pair lasts twice the previous one.
    login_max_failures: int = Field(5, ge=1)
    login_window_seconds: int = Field(900, ge=1)
    login_lockout_seconds: int = Field(900, ge=1)
    login_max_lockout_seconds: int = Field(24 * 3600, ge=1)
    # Across all addresses, per email: stops guessing spread over many addresses. Addresses
    # the owner signed in from within the last AUTH_LOGIN_KNOWN_ADDRESS_DAYS are exempt.
    login_account_max_failures: int = Field(100, ge=1)
    login_known_address_days: int = Field(30, ge=0)
    # Peers whose X-Forwarded-For is believed (the gateway's addresses), comma-separated CIDRs.
    # The gateway replaces any client-sent X-Forwarded-For with the one address it decided on.
    trusted_proxies: str = "127.0.0.1/32,::1/128"
    # How often expired refresh tokens and finished lockouts are deleted.
    purge_interval_seconds: float = Field(3600.0, gt=0)
    # argon2id cost; the defaults follow RFC 9106's second recommended option.
    argon2_time_cost: int = Field(3, ge=1)
    argon2_memory_kib: int = Field(65536, ge=1024)
    argon2_parallelism: int = Field(4, ge=1)
    # Every hash in flight holds argon2_memory_kib; at most budget // that many run at once
    # (192 MB: 3 at 64 MiB, about 300 MiB peak for the process, under a 512 Mi limit).
    hash_memory_budget_mb: int = Field(192, ge=1)
    # Sign-ins, registrations and password changes waiting for a hashing slot; beyond this
    # they are refused at once with 503 + Retry-After.
    hash_queue_limit: int = Field(32, ge=0)
    # ... or when the wait they can expect (recent hash times) is longer than this: keep it
    # under the gateway's timeout for auth (GATEWAY_TIMEOUT_SECONDS, 10 s), whose timeouts
    # would open its circuit breaker and refuse every sign-in for a while.
    hash_max_wait_seconds: float = Field(4.0, gt=0)

    def secret_fields(self) -> tuple[str, ...]:
        return ("service_clients",)

    def secret_parts(self, name: str, value: str) -> list[str]:
        if name == "service_clients":  # each client's secret must hold up on its own
            return list(self.service_client_secrets().values())
        return super().secret_parts(name, value)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'auth.db'}"

    @property
    def resolved_keys_dir(self) -> Path:
        return self.keys_dir or self.data_dir / "keys"

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [entry.strip() for entry in self.trusted_proxies.split(",") if entry.strip()]

    def service_client_secrets(self) -> dict[str, str]:
        """``"report:s1,analysis:s2"`` -> ``{"report": "s1", "analysis": "s2"}``."""
        clients: dict[str, str] = {}
        for entry in self.service_clients.get_secret_value().split(","):
            client_id, sep, secret = entry.strip().partition(":")
            if sep and client_id.strip() and secret.strip():
                clients[client_id.strip()] = secret.strip()
        return clients


@lru_cache
def get_settings() -> Settings:
    return Settings()
