"""report-svc settings: ``REPORT_`` prefix, plus the stack-wide values from ``ServiceSettings``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from pitwall_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="REPORT_", env_file=".env", extra="ignore", populate_by_name=True
    )

    port: int = 8004
    # Also read unprefixed so one DATABASE_URL can serve a single-service deployment.
    database_url: str | None = Field(
        None, validation_alias=AliasChoices("REPORT_DATABASE_URL", "DATABASE_URL")
    )
    output_dir: Path | None = None
    telemetry_url: str = "http://127.0.0.1:8002"
    analysis_url: str = "http://127.0.0.1:8003"
    auth_url: str = "http://127.0.0.1:8001"
    service_client_id: str = "report"
    service_client_secret: SecretStr = SecretStr("")
    # Processes drawing charts and PDFs; each holds matplotlib + WeasyPrint (~150 MB).
    render_workers: int = Field(2, ge=1, le=16)
    # Jobs running at once; each waits for a render worker for its CPU-heavy steps.
    job_concurrency: int = Field(4, ge=1, le=64)
    # Seconds between database polls for queued jobs (a new job also wakes the workers).
    job_poll_seconds: float = Field(2.0, gt=0)
    job_max_attempts: int = Field(3, ge=1)
    # A running job's runner renews its lease every third of this; a job silent for a whole
    # lease (its process died) goes back to the queue for any replica to take.
    job_lease_seconds: float = Field(30.0, ge=0.3)
    # Wait before retrying after an upstream outage, times the attempt number.
    job_retry_backoff_seconds: float = Field(2.0, ge=0)
    upstream_timeout_seconds: float = Field(60.0, gt=0)
    # Includes waiting for a free worker, so it is generous.
    chart_timeout_seconds: float = Field(120.0, gt=0)
    # One chart or PDF in its worker; beyond it the worker process is killed and replaced,
    # so a pathological render cannot keep a worker drawing.
    render_timeout_seconds: float = Field(60.0, gt=0)
    # Per-user quotas: jobs queued or running at once, and reports kept (any status).
    max_active_jobs_per_user: int = Field(5, ge=1)
    max_stored_reports_per_user: int = Field(50, ge=1)
    # Finished reports older than this are deleted (file and row) by the sweeper.
    retention_days: float = Field(30.0, gt=0)
    sweep_interval_seconds: float = Field(600.0, gt=0)

    def secret_fields(self) -> tuple[str, ...]:
        return ("service_client_secret",)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'report.db'}"

    @property
    def resolved_output_dir(self) -> Path:
        return self.output_dir or self.data_dir / "reports"


@lru_cache
def get_settings() -> Settings:
    return Settings()
