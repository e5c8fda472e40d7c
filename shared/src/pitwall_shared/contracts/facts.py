"""Facts of the lap-comparison, race-pace, session-summary and fastest-laps analyses.

The JSON is what analysis-svc has always answered (it validates its facts against these
models and sends them unchanged); the models name its fields so readers use attributes
instead of ``.get(...) or {}`` chains. Each model allows extra members, so a field added later
passes through to old readers. Members analysis-svc only sends in some cases (``missing``,
``notes``; ``fastest`` and ``rule`` when a session has no lap time) default to ``None``.
Units as in ``contracts.telemetry``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from pitwall_shared.contracts.race import PitStopFact


class Facts(BaseModel):
    model_config = ConfigDict(extra="allow")


# -- lap comparison -------------------------------------------------------------------------


class LapSide(Facts):
    driver: str
    lap_number: int
    lap_time_s: float | None


class SectorDelta(Facts):
    sector: int
    a_s: float | None
    b_s: float | None
    delta_s: float | None


class CornerDriver(Facts):
    braking_point_m_before: float | None
    entry_speed_kmh: float | None
    min_speed_kmh: float | None
    exit_speed_kmh: float | None
    apex_gear: int | None


class CornerFact(Facts):
    corner: str
    number: int
    letter: str
    distance_m: float | None
    zone_start_m: float | None
    zone_end_m: float | None
    a: CornerDriver
    b: CornerDriver
    time_delta_s: float | None
    min_speed_diff_kmh: float | None
    braking_point_diff_m: float | None
    exit_speed_diff_kmh: float | None
    gainer: str


class Segment(Facts):
    place: str
    kind: Literal["corner", "straight"]
    start_m: float | None
    end_m: float | None
    time_delta_s: float | None
    gainer: str
    gainer_side: Literal["a", "b"]


class Place(Segment):
    corners: list[str]


class SpeedFacts(Facts):
    top_speed_kmh: float | None
    speed_i1_kmh: float | None
    speed_i2_kmh: float | None
    speed_fl_kmh: float | None
    speed_st_kmh: float | None


class DrivingShares(Facts):
    full_throttle_pct: float | None
    braking_pct: float | None
    drs_open_m: float | None
    drs_activations: int


class SpeedPair(Facts):
    a: SpeedFacts
    b: SpeedFacts


class DrivingPair(Facts):
    a: DrivingShares
    b: DrivingShares


class WonAndLost(Facts):
    a_gained: list[Place]
    b_gained: list[Place]


class LapComparisonFacts(Facts):
    definitions: dict[str, str]
    a: LapSide
    b: LapSide
    lap_time_delta_s: float | None
    integrated_delta_s: float | None
    lap_length_m: float | None
    sectors: list[SectorDelta]
    corners: list[CornerFact]
    segments: list[Segment]
    speed: SpeedPair
    driving: DrivingPair
    won_and_lost: WonAndLost
    missing: list[str] | None = None
    notes: list[str] | None = None


# -- race pace ------------------------------------------------------------------------------


class RacePaceStint(Facts):
    stint: int
    compound: str | None
    first_lap: int
    last_lap: int
    laps: int
    tyre_age_start: float | None
    tyre_age_end: float | None
    clean_laps: int
    median_clean_lap_s: float | None
    degradation_s_per_lap: float | None
    degradation_ls_s_per_lap: float | None
    fuel_corrected_degradation_s_per_lap: float | None
    fuel_corrected_mean_s: float | None


class RacePaceStop(PitStopFact):
    """A pit stop as the strategy analysis states it, plus ``under_neutralisation``."""

    model_config = ConfigDict(extra="allow")
    under_neutralisation: bool


class DriverPace(Facts):
    laps: int
    clean_laps: int
    excluded_laps: int
    median_clean_lap_s: float | None
    fuel_corrected_mean_s: float | None
    std_s: float | None
    iqr_s: float | None
    stints: list[RacePaceStint]
    pit_stops: list[RacePaceStop]


class PaceComparison(Facts):
    driver: str
    reference: str
    median_clean_lap_gap_s: float | None = None
    fuel_corrected_mean_gap_s: float | None = None


class RacePaceFacts(Facts):
    rules: dict[str, str]
    fuel_effect_s_per_lap: float
    race_laps: int
    drivers: dict[str, DriverPace]
    comparison: list[PaceComparison]


# -- fastest laps ---------------------------------------------------------------------------


class FastestLap(Facts):
    position: int
    driver: str
    lap_number: int | None
    lap_time_s: float | None
    gap_to_fastest_s: float | None
    sectors_s: list[float | None]
    sector_deltas_s: list[float | None]
    compound: str | None
    tyre_life: float | None
    ideal_lap_s: float | None


class FastestLapRef(Facts):
    driver: str
    lap_number: int | None
    lap_time_s: float | None


class FastestLapsFacts(Facts):
    fastest: FastestLapRef | None = None
    laps: list[FastestLap]
    rule: str | None = None


# -- session summary ------------------------------------------------------------------------


class ResultFact(Facts):
    position: int | None
    driver: str | None
    team: str | None
    gap_s: float | None
    best_time_s: float | None = None
    grid: float | None = None
    status: str | None = None
    points: float | None = None
    laps: float | None = None
    time_s: float | None = None


class TyreUsage(Facts):
    laps_per_compound: dict[str, int]
    drivers_per_compound: dict[str, int]
    stint_compounds: dict[str, list[str]]


class WeatherRange(Facts):
    start: float | None
    end: float | None
    min: float | None
    max: float | None


class WeatherTrend(Facts):
    air_temp_c: WeatherRange | None = None
    track_temp_c: WeatherRange | None = None
    humidity_pct: WeatherRange | None = None
    rain_samples_pct: float | None = None


class RaceControlEvent(Facts):
    time: str | None
    lap: float | None
    category: str | None
    message: str


class SessionSummaryFacts(Facts):
    results: list[ResultFact]
    fastest_laps: list[FastestLap]
    tyres: TyreUsage
    weather: WeatherTrend
    race_control: list[RaceControlEvent]
    race_control_counts: dict[str, int]
    missing: list[str] | None = None
