"""Request and response bodies of report-svc (pydantic; the ORM model lives in models.py)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pitwall_shared.contracts.telemetry import SessionCode
from pitwall_shared.contracts.user import DriverCode, StylePreset
from pitwall_shared.path_safety import EventName

ReportKind = Literal["lap_comparison", "race_pace", "session_summary"]
ReportStatus = Literal["queued", "running", "succeeded", "failed"]
LAP_PATTERN = re.compile(r"^(fastest|[1-9][0-9]{0,2})$")
MAX_DRIVERS = 20


def parse_lap(value: str) -> str:
    text = str(value).strip().lower()
    if not LAP_PATTERN.match(text):
        raise ValueError("a lap is 'fastest' or a lap number from 1 to 999")
    return text


class ReportCreate(BaseModel):
    """What to put in a report.

    Drivers and laps come as lists (``drivers: ["NOR", "PIA"]``, ``laps: ["fastest", "18"]``)
    or, for a lap comparison, as ``driver_a``/``driver_b``/``lap_a``/``lap_b``.
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"kind": "lap_comparison", "year": 2024, "event": "Hungary", "session": "Q",
                 "drivers": ["NOR", "PIA"], "style": "team"},
            ]
        },
    )

    kind: ReportKind = "lap_comparison"
    year: int = Field(ge=2018, le=2100)
    event: EventName = Field(examples=["Hungary"])
    session: SessionCode
    drivers: list[DriverCode] = Field(default_factory=list, max_length=MAX_DRIVERS)
    laps: list[str] = Field(default_factory=list, max_length=2)
    driver_a: DriverCode | None = None
    driver_b: DriverCode | None = None
    lap_a: str | None = None
    lap_b: str | None = None
    style: StylePreset | None = Field(
        None, description="Plot style preset; defaults to the user's saved preference"
    )
    title: str | None = Field(None, min_length=1, max_length=120)

    @field_validator("laps")
    @classmethod
    def _laps(cls, laps: list[str]) -> list[str]:
        return [parse_lap(lap) for lap in laps]

    @field_validator("lap_a", "lap_b")
    @classmethod
    def _lap(cls, lap: str | None) -> str | None:
        return parse_lap(lap) if lap is not None else None

    @model_validator(mode="after")
    def _normalise(self) -> ReportCreate:
        if self.driver_a or self.driver_b:
            if self.drivers:
                raise ValueError("give either drivers or driver_a/driver_b, not both")
            if not (self.driver_a and self.driver_b):
                raise ValueError("driver_a and driver_b go together")
            self.drivers = [self.driver_a, self.driver_b]
            self.laps = [self.lap_a or "fastest", self.lap_b or "fastest"]
        if len(set(self.drivers)) != len(self.drivers):
            raise ValueError("drivers must not repeat")
        if self.kind == "lap_comparison":
            if len(self.drivers) != 2:
                raise ValueError("a lap comparison needs exactly two drivers")
            self.laps = [*self.laps, "fastest", "fastest"][:2]
        elif self.laps:
            raise ValueError("laps apply to lap comparisons only")
        if self.kind == "race_pace" and not self.drivers:
            raise ValueError("a race pace report needs at least one driver")
        return self

    def job_params(self, style: str) -> dict[str, Any]:
        return {"year": self.year, "event": self.event, "session": self.session,
                "drivers": list(self.drivers), "laps": list(self.laps), "style": style}


class ReportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: ReportKind
    title: str
    status: ReportStatus
    stage: str = Field(description="What the job is doing now, or how it ended")
    progress: int = Field(ge=0, le=100, description="Percent done")
    attempts: int
    error: str | None = Field(None, description="Why the last attempt failed")
    params: dict[str, Any]
    file_size: int | None = None
    page_count: int | None = None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    pdf_url: str | None = Field(None, description="Where to download the PDF once succeeded")


class ReportPage(BaseModel):
    items: list[ReportOut]
    total: int
    limit: int
    offset: int


class DeletedReports(BaseModel):
    deleted: int
