"""Settings for telemetry-svc (env prefix ``TELEMETRY_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from pitwall_shared.settings import ServiceSettings
from pitwall_telemetry.sample_pack import SAMPLE_DATA_DIR
from pitwall_telemetry.services.ingest import IngestPolicyName
from pitwall_telemetry.services.resolve import FIRST_YEAR


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(
        env_prefix="TELEMETRY_", env_file=".env", extra="ignore", populate_by_name=True
    )

    port: int = 8002
    snapshot_dir_override: Path | None = Field(None, alias="TELEMETRY_SNAPSHOT_DIR")
    fastf1_cache_dir_override: Path | None = Field(None, alias="TELEMETRY_FASTF1_CACHE_DIR")
    offline: bool = False
    sample_dir: Path = SAMPLE_DATA_DIR
    load_workers: int = Field(2, ge=1, le=16)
    cache_max_mb: int = Field(128, ge=8, le=8192)
    load_timeout_s: float = Field(300.0, gt=0)
    # start one loader process at startup (imports FastF1, seeds its cache) so the first
    # cold load does not wait for that
    warm_pool: bool = True
    # who may make the service load a session that is not in the store (an upstream fetch
    # and seconds of CPU): any signed-in caller, admins only, or nobody (serve the store)
    ingest_policy: IngestPolicyName = "any"
    ingest_min_year: int = Field(FIRST_YEAR, ge=FIRST_YEAR)
    ingest_max_year: int | None = Field(None, ge=FIRST_YEAR)  # None: through next season

    @property
    def snapshot_dir(self) -> Path:
        return self.snapshot_dir_override or self.data_dir / "snapshots"

    @property
    def fastf1_cache_dir(self) -> Path:
        return self.fastf1_cache_dir_override or self.data_dir / "fastf1-cache"


@lru_cache
def get_settings() -> Settings:
    return Settings()
