"""What a chart is drawn from: plain, picklable data handed to a render worker process."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pitwall_shared.contracts.race import (
    PaceDistributionFacts,
    QualifyingOverviewFacts,
    RaceTraceFacts,
    StrategyFacts,
)

ChartKind = Literal[
    "speed-trace", "delta", "inputs", "track-map", "lap-times", "tyre-strategy", "positions",
    "race-pace", "team-pace", "degradation", "race-trace", "quali-gaps",
]
CHART_KINDS: tuple[ChartKind, ...] = (
    "speed-trace", "delta", "inputs", "track-map", "lap-times", "tyre-strategy", "positions",
    "race-pace", "team-pace", "degradation", "race-trace", "quali-gaps",
)
ImageFormat = Literal["svg", "png"]
# A report's charts are drawn as PDF and placed into its pages (rendering/placement.py).
RenderFormat = Literal["svg", "png", "pdf"]
ColourBy = Literal["speed", "gear", "delta"]


@dataclass(frozen=True)
class DriverLap:
    """One driver's lap with its channels sampled along distance."""

    driver: str
    lap_number: int
    lap_time_s: float | None
    channels: dict[str, list[float | None]]

    @property
    def label(self) -> str:
        time = format_lap_time(self.lap_time_s)
        return f"{self.driver} L{self.lap_number}" + (f"  {time}" if time else "")


@dataclass(frozen=True)
class CornerMark:
    label: str
    distance_m: float
    x: float
    y: float


@dataclass(frozen=True)
class ChartData:
    """Everything any chart kind may need; each kind reads the fields it uses."""

    kind: ChartKind
    title: str
    subtitle: str = ""
    laps: list[DriverLap] = field(default_factory=list)
    # Delta of laps[1] against laps[0] on a common distance grid (positive: laps[1] behind).
    delta_distance: list[float] = field(default_factory=list)
    delta_s: list[float] = field(default_factory=list)
    sector_boundaries_m: list[float] = field(default_factory=list)
    corners: list[CornerMark] = field(default_factory=list)
    rotation_deg: float = 0.0
    colour_by: ColourBy = "speed"
    # Columnar lap table (driver, lap_number, lap_time_s, compound, stint, position, ...).
    lap_table: dict[str, list[Any]] = field(default_factory=dict)
    drivers: list[str] = field(default_factory=list)
    team_colours: dict[str, str] = field(default_factory=dict)
    session_label: str = ""
    year: int = 0  # tyre compound colours depend on the season
    # Race-weekend facts from analysis-svc (pydantic models pickle across the process pool).
    race_trace: RaceTraceFacts | None = None
    strategy: StrategyFacts | None = None
    pace: PaceDistributionFacts | None = None
    qualifying: QualifyingOverviewFacts | None = None


@dataclass(frozen=True)
class RenderRequest:
    data: ChartData
    style: str
    fmt: RenderFormat = "svg"
    width: int = 1000
    height: int = 560


def format_lap_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, rest = divmod(float(seconds), 60.0)
    return f"{int(minutes)}:{rest:06.3f}" if minutes else f"{rest:.3f}"
