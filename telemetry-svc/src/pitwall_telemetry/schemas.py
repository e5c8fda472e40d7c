"""Response shapes only telemetry-svc's clients (the web app) read."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

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


class SampleSession(BaseModel):
    """A session the shipped sample pack serves offline (the Explore page's shortcuts)."""

    year: int
    event: str = Field(description="The event as the sample pack names it, usable in paths")
    session: str = Field(description="Session code")
    label: str = Field(examples=["2024 Hungarian GP · Qualifying"])
    telemetry: bool = Field(description="Whether car telemetry (traces, circuit) is included")
    event_name: str
    round: int
    session_name: str
    state: Literal["not_loaded", "loading", "ready", "failed"]
