"""Settings for analysis-svc (env prefix ``ANALYSIS_``; model credentials unprefixed)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from pitwall_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="ANALYSIS_", env_file=".env", extra="ignore", populate_by_name=True
    )

    port: int = 8003
    telemetry_url: str = "http://127.0.0.1:8002"
    telemetry_timeout_s: float = 30.0
    database_url_override: str | None = Field(
        None, validation_alias=AliasChoices("ANALYSIS_DATABASE_URL", "DATABASE_URL")
    )
    # Computed facts kept per analysis, session and parameters, revalidated per request
    # against the telemetry snapshot; bounded by count and by their serialised size. The
    # facts' objects take ~17x their JSON in memory (a 20-driver race's analyses), so 8 MB
    # of JSON stays well inside the 768 MiB the deployments give the service.
    facts_memo_entries: int = Field(256, ge=0)
    facts_memo_mb: float = Field(8.0, ge=0)
    model: str = "gpt-4o-mini"
    model_timeout_s: float = 15.0
    model_retries: int = Field(2, ge=0, le=5)
    model_backoff_s: float = 0.5
    model_deadline_s: float = Field(40.0, gt=0, description="All model attempts together")
    model_calls_per_hour: int = Field(30, ge=0)
    # The whole deployment's hourly model budget, all users together (0: no model calls).
    model_calls_per_hour_total: int = Field(1000, ge=0)
    # Service clients whose tokens may name the user they work for (X-On-Behalf-Of), so a
    # report job's model calls count against the report's owner.
    on_behalf_of_clients: str = "report"
    # Counters of the model-call limits; shared by replicas when set.
    redis_url: str | None = Field(
        None, validation_alias=AliasChoices("ANALYSIS_REDIS_URL", "REDIS_URL")
    )
    model_limit_key_prefix: str = "pitwall-analysis"
    # Ask: the model answers by calling tools, within these bounds per question.
    ask_max_tool_calls: int = Field(6, ge=0, le=30)
    ask_max_tokens: int = Field(12000, ge=500, description="Prompt + completion, all rounds")
    ask_answer_max_tokens: int = Field(600, ge=50, description="Per model round")
    ask_deadline_s: float = Field(45.0, gt=0, description="The model's whole answer")
    # Questions and answers are logged as lengths and hashes unless this is set (debugging).
    ask_log_text: bool = False
    # Retention: the newest conversations per user, the newest answers per conversation.
    ask_conversations_per_user: int = Field(50, ge=1)
    ask_answers_per_conversation: int = Field(100, ge=1)
    openai_api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=AliasChoices("OPENAI_BASE_URL"))
    service_client_secret: SecretStr | None = None

    def optional_secret_fields(self) -> tuple[str, ...]:
        return ("service_client_secret",)

    @property
    def database_url(self) -> str:
        return self.database_url_override or f"sqlite:///{self.data_dir / 'analysis.db'}"

    @property
    def on_behalf_of_subjects(self) -> frozenset[str]:
        """Token subjects of those clients, as auth-svc issues them (``service:<id>``)."""
        return frozenset(f"service:{client.strip()}"
                         for client in self.on_behalf_of_clients.split(",") if client.strip())

    @property
    def model_configured(self) -> bool:
        return bool(self.openai_api_key and self.openai_api_key.get_secret_value())


@lru_cache
def get_settings() -> Settings:
    return Settings()
