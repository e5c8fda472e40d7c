"""Response shapes only telemetry-svc's clients (the web app) read."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from pitwall_shared.contracts.telemetry import SessionStatus

LoadStage = Literal["queued", "schedule", "session", "results", "laps", "telemetry", "weather",
                    "messages", "writing"]


class LoadStatus(SessionStatus):
    """``SessionStatus`` plus where a load stands, for a progress display."""

    stage: LoadStage | None = Field(None, description="While loading: the stage it is in")
    progress: float | None = Field(None, ge=0, le=1, description="Share of the load done, 0..1")
    started_at: datetime | None = Field(None, description="When the (last) load started")
    retry_after_s: int | None = Field(
        None, description="After a failed load: seconds until a request may try it again")
    status_url: str | None = Field(None, description="prewarm only: where to poll the status")
