"""What telemetry-svc answers. Tables are columnar: one array per column, same length.

Units: times in seconds (float, millisecond precision), speeds km/h, distances metres,
throttle 0-100 %, brake 0/1 (or 0-100 where the source has pressure), gear 0-8.
Missing values are ``null``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

SessionCode = Literal["FP1", "FP2", "FP3", "SQ", "SS", "Q", "S", "R"]
Column = list[Any]

TELEMETRY_CHANNELS = (
    "distance",
    "time",
    "speed",
    "throttle",
    "brake",
    "gear",
    "rpm",
    "drs",
    "x",
    "y",
)


class SessionRef(BaseModel):
    """Identifies one session. ``event`` is the event name or round as the client wrote it;
    ``event_name`` is the official name it resolved to."""

    year: int
    round: int
    event_name: str
    country: str = ""
    location: str = ""
    session: SessionCode
    session_name: str
    date: datetime | None = None


class Driver(BaseModel):
    abbreviation: str = Field(examples=["NOR"])
    number: str = ""
    full_name: str = ""
    team: str = ""
    team_colour: str = Field("", description="Hex RGB without '#'", examples=["FF8000"])


class SessionInfo(BaseModel):
    session: SessionRef
    drivers: list[Driver]
    results: dict[str, Column] = Field(
        description="Columnar results: position, abbreviation, team, grid, status, points, "
        "q1_s, q2_s, q3_s, time_s (race time or gap), laps"
    )
    has_telemetry: bool
    snapshot_created_at: datetime | None = None
    fastf1_version: str = ""
    notes: list[str] = Field(default_factory=list, description="Caveats about the data, e.g. "
                             "that a sample holds one lap per driver")
    missing: list[str] = Field(default_factory=list, description="Parts the source lacks: "
                               "telemetry, weather, pitstops, circuit, race_control, ...")
    source: str = ""


class LapTable(BaseModel):
    session: SessionRef
    count: int
    laps: dict[str, Column] = Field(
        description="Columns: driver, lap_number, lap_time_s, sector1_s, sector2_s, sector3_s, "
        "compound, tyre_life, stint, is_accurate, is_personal_best, pit_in, pit_out, "
        "track_status, speed_i1, speed_i2, speed_fl, speed_st, deleted, lap_start_s, position, "
        "fresh_tyre, pit_in_time_s, pit_out_time_s, team. pit_in/pit_out are booleans."
    )


class LapRef(BaseModel):
    driver: str
    lap_number: int
    lap_time_s: float | None
    sector_times_s: list[float | None] = Field(default_factory=list)
    compound: str | None = None
    tyre_life: float | None = None


class LapTelemetry(BaseModel):
    session: SessionRef
    lap: LapRef
    points: int = Field(description="Number of samples returned")
    resampled: bool
    channels: dict[str, list[float | None]]


class LapComparison(BaseModel):
    """Two laps on one distance grid. ``delta_s[i]`` is B's elapsed time minus A's at
    ``distance[i]``: positive means B is behind A there; the last value equals
    ``lap_time_b - lap_time_a``."""

    session: SessionRef
    a: LapRef
    b: LapRef
    points: int
    distance: list[float]
    delta_s: list[float]
    channels_a: dict[str, list[float | None]]
    channels_b: dict[str, list[float | None]]
    sector_boundaries_m: list[float] = Field(default_factory=list)


class Corner(BaseModel):
    number: int
    letter: str = ""
    distance_m: float
    x: float
    y: float
    angle: float = 0.0


class Circuit(BaseModel):
    session: SessionRef
    track_length_m: float | None
    rotation_deg: float = 0.0
    corners: list[Corner]
    outline: dict[str, list[float]] = Field(description="x, y (and distance) of a reference lap")


class SessionStatus(BaseModel):
    state: Literal["not_loaded", "loading", "ready", "failed"]
    reason: str | None = None
    snapshot_created_at: datetime | None = None


class TableResponse(BaseModel):
    """Generic columnar table (stints, pit stops, weather, race control, track status)."""

    session: SessionRef
    count: int
    rows: dict[str, Column]


class ScheduleEvent(BaseModel):
    round: int
    event_name: str
    country: str
    location: str
    event_date: datetime | None
    event_format: str
    sessions: list[dict[str, Any]] = Field(description="[{code, name, date}]")
