"""Facts of the race-weekend analyses: race trace, strategy, pace distribution, qualifying.

analysis-svc computes them, report-svc draws them, the web app shows them: all three read
these models, so a field renamed here fails type checks everywhere it is used. Units follow
``contracts.telemetry``: seconds (millisecond precision), laps as integers, ``null`` where a
value does not exist (a retired car's later laps, a stop whose cost cannot be measured).
Every fact set carries ``rules``: how each figure was computed, in words a reader can check.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

NeutralisationKind = Literal["SC", "VSC", "RED"]
QualifyingSegment = Literal["Q1", "Q2", "Q3", "SQ1", "SQ2", "SQ3"]


class DriverRef(BaseModel):
    """A driver as the race-weekend facts name them, with what charts need to colour them."""

    driver: str = Field(examples=["HAM"])
    team: str = ""
    team_colour: str = Field("", description="Hex RGB without '#'")
    finish_position: int | None = Field(
        None, description="Classified position (race/sprint) or qualifying position")


class Neutralisation(BaseModel):
    kind: NeutralisationKind
    first_lap: int
    last_lap: int


# -- race trace -------------------------------------------------------------------------


class RaceTraceColumns(BaseModel):
    """One row per driver and completed lap, columnar (same length arrays)."""

    driver: list[str]
    lap_number: list[int]
    position: list[int | None]
    gap_to_leader_s: list[float | None] = Field(
        description="Driver's lap-end session time minus that of the car in position 1 on "
        "the same lap number")
    interval_s: list[float | None] = Field(
        description="To the car one position ahead on the same lap number")
    laps_down: list[int] = Field(description="Laps behind the leader at that point (lapped)")


class RaceTraceDriver(DriverRef):
    laps_completed: int
    status: str = Field("", description="Classification status, e.g. Finished, +1 Lap, "
                        "Collision, Retired")
    retired_on_lap: int | None = Field(None, description="Last lap completed by a car that "
                                       "did not finish")
    pit_laps: list[int] = Field(default_factory=list, description="In-lap numbers")


class RaceTraceFacts(BaseModel):
    rules: dict[str, str]
    total_laps: int
    drivers: list[RaceTraceDriver] = Field(description="In finishing order")
    trace: RaceTraceColumns
    neutralisations: list[Neutralisation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="Lapped cars, retirements, "
                             "data gaps and how they were handled")


# -- strategy: stints, pit stops and their real cost ---------------------------------------


class StintFact(BaseModel):
    driver: str
    stint: int
    compound: str | None
    first_lap: int
    last_lap: int
    laps: int
    tyre_age_start: int | None = None
    tyre_age_end: int | None = None
    clean_laps: int = 0
    median_clean_lap_s: float | None = None
    degradation_s_per_lap: float | None = Field(
        None, description="Theil-Sen slope of clean lap time against tyre age")
    degradation_intercept_s: float | None = Field(
        None, description="Fitted lap time at tyre age 0, so the slope can be drawn")
    fuel_corrected_degradation_s_per_lap: float | None = None
    clean_tyre_age: list[int] = Field(default_factory=list, description="Points for the "
                                      "degradation chart: tyre age of each clean lap")
    clean_lap_time_s: list[float] = Field(default_factory=list,
                                          description="and its lap time")


class PitStopFact(BaseModel):
    driver: str
    in_lap: int
    out_lap: int
    compound_before: str | None = None
    compound_after: str | None = None
    in_lap_s: float | None = None
    out_lap_s: float | None = None
    reference_s: float | None = Field(
        None, description="Median in-lap + out-lap time of the cars that pitted on neither lap")
    comparison_cars: int = Field(0, description="How many cars that median is over")
    time_loss_s: float | None = Field(
        None, description="in_lap_s + out_lap_s - reference_s; null with fewer than 3 "
        "comparison cars (see note)")
    neutralisation: NeutralisationKind | None = Field(
        None, description="SC/VSC/red flag during the in- or out-lap")
    position_before: int | None = Field(None, description="Position at the end of the lap "
                                        "before the in-lap")
    position_after: int | None = Field(None, description="Position at the end of the out-lap")
    positions_gained: int | None = Field(None, description="position_before - position_after")
    note: str | None = None


class PitBattle(BaseModel):
    """Two cars within the gap threshold before the first of them pitted."""

    first_to_pit: str
    other: str
    first_in_lap: int
    other_in_lap: int
    gap_before_s: float = Field(description="Gap between them at the end of the lap before "
                                "the first stop (positive: first_to_pit was behind)")
    gap_after_s: float | None = Field(None, description="Same gap at the end of the later "
                                      "out-lap (positive: first_to_pit behind)")
    outcome: Literal["undercut", "overcut", "held"] = Field(
        description="undercut: the first to pit came out ahead having been behind; overcut: "
        "the car that stayed out came out ahead having been behind; held: order unchanged")
    winner: str


class StrategyFacts(BaseModel):
    rules: dict[str, str]
    total_laps: int
    drivers: list[DriverRef] = Field(description="In finishing order")
    stints: list[StintFact]
    pit_stops: list[PitStopFact]
    battles: list[PitBattle] = Field(default_factory=list)
    neutralisations: list[Neutralisation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


# -- pace distribution ----------------------------------------------------------------------


class PaceQuantiles(BaseModel):
    min_s: float
    q1_s: float
    median_s: float
    q3_s: float
    max_s: float


class DriverPaceDistribution(DriverRef):
    clean_laps: int
    quantiles: PaceQuantiles | None = None
    mean_s: float | None = None
    std_s: float | None = None
    lap_number: list[int] = Field(default_factory=list, description="Clean laps, columnar")
    lap_time_s: list[float] = Field(default_factory=list)
    compound: list[str | None] = Field(default_factory=list)


class TeamPace(BaseModel):
    team: str
    team_colour: str = ""
    drivers: list[str]
    clean_laps: int
    quantiles: PaceQuantiles
    rank: int
    gap_to_fastest_s: float = Field(description="Median clean lap minus the fastest team's")


class TeammateDelta(BaseModel):
    team: str
    driver_a: str = Field(description="The better finisher")
    driver_b: str
    median_delta_s: float | None = Field(
        None, description="driver_b's median clean lap minus driver_a's")
    faster: str | None = None


class PaceDistributionFacts(BaseModel):
    rules: dict[str, str]
    drivers: list[DriverPaceDistribution] = Field(description="In finishing order")
    teams: list[TeamPace] = Field(description="Fastest first")
    teammates: list[TeammateDelta]
    notes: list[str] = Field(default_factory=list)


# -- qualifying overview -------------------------------------------------------------------


class QualifyingDriver(DriverRef):
    best_lap_s: float | None = None
    gap_to_pole_s: float | None = None
    gap_to_pole_pct: float | None = None
    segment_best_s: dict[str, float | None] = Field(
        default_factory=dict, description="Best lap per segment, keyed Q1/Q2/Q3 or SQ1-3")
    knocked_out_in: QualifyingSegment | None = Field(
        None, description="Segment the driver was eliminated in; null for the final segment")
    best_sectors_s: list[float | None] = Field(default_factory=list)
    ideal_lap_s: float | None = Field(None, description="Sum of the driver's best sectors")
    ideal_gain_s: float | None = Field(None, description="best_lap_s - ideal_lap_s")


class SegmentSummary(BaseModel):
    segment: QualifyingSegment
    fastest: str | None = None
    fastest_s: float | None = None
    cutoff_s: float | None = Field(None, description="Slowest time that went through")
    eliminated: list[str] = Field(default_factory=list)


class QualifyingOverviewFacts(BaseModel):
    rules: dict[str, str]
    pole: DriverRef | None = None
    pole_time_s: float | None = None
    drivers: list[QualifyingDriver] = Field(description="In qualifying order")
    segments: list[SegmentSummary]
    notes: list[str] = Field(default_factory=list)
