"""The race-weekend analyses' main tables, columnar, with their FastF1-style names for
``names=fastf1`` (FastF1's own name where it has the column, its naming style otherwise)."""

from __future__ import annotations

from typing import Any, Literal

from pitwall_shared.contracts.race import (
    PaceDistributionFacts,
    PaceQuantiles,
    QualifyingOverviewFacts,
    RaceTraceFacts,
    StrategyFacts,
)
from pitwall_shared.exports import FastF1Column

StrategyTable = Literal["stints", "pit-stops"]
PaceTable = Literal["drivers", "teams", "laps"]

Columns = dict[str, list[Any]]
Mapping = dict[str, FastF1Column]


def _td(name: str) -> FastF1Column:
    return FastF1Column(name, "timedelta")


QUANTILES: Mapping = {"min_s": _td("MinLapTime"), "q1_s": _td("Q1LapTime"),
                      "median_s": _td("MedianLapTime"), "q3_s": _td("Q3LapTime"),
                      "max_s": _td("MaxLapTime")}
RACE_TRACE: Mapping = {
    "driver": FastF1Column("Driver"), "lap_number": FastF1Column("LapNumber"),
    "position": FastF1Column("Position"), "gap_to_leader_s": _td("GapToLeader"),
    "interval_s": _td("Interval"), "laps_down": FastF1Column("LapsDown"),
}
STINTS: Mapping = {
    "driver": FastF1Column("Driver"), "stint": FastF1Column("Stint"),
    "compound": FastF1Column("Compound"), "first_lap": FastF1Column("FirstLapNumber"),
    "last_lap": FastF1Column("LastLapNumber"), "laps": FastF1Column("NumberOfLaps"),
    "tyre_age_start": FastF1Column("TyreLifeStart"), "tyre_age_end": FastF1Column("TyreLifeEnd"),
    "clean_laps": FastF1Column("CleanLaps"), "median_clean_lap_s": _td("MedianCleanLapTime"),
    "degradation_s_per_lap": FastF1Column("DegradationSecondsPerLap"),
    "degradation_intercept_s": FastF1Column("DegradationInterceptSeconds"),
    "fuel_corrected_degradation_s_per_lap": FastF1Column("FuelCorrectedDegradationSecondsPerLap"),
}
PIT_STOPS: Mapping = {
    "driver": FastF1Column("Driver"), "in_lap": FastF1Column("LapNumber"),
    "out_lap": FastF1Column("OutLapNumber"), "compound_before": FastF1Column("CompoundBefore"),
    "compound_after": FastF1Column("CompoundAfter"), "in_lap_s": _td("InLapTime"),
    "out_lap_s": _td("OutLapTime"), "reference_s": _td("ReferenceTime"),
    "comparison_cars": FastF1Column("ComparisonCars"), "time_loss_s": _td("TimeLoss"),
    "neutralisation": FastF1Column("Neutralisation"),
    "position_before": FastF1Column("PositionBefore"),
    "position_after": FastF1Column("PositionAfter"),
    "positions_gained": FastF1Column("PositionsGained"), "note": FastF1Column("Note"),
}
PACE_DRIVERS: Mapping = {
    "driver": FastF1Column("Driver"), "team": FastF1Column("Team"),
    "finish_position": FastF1Column("Position"), "clean_laps": FastF1Column("CleanLaps"),
    **QUANTILES, "mean_s": _td("MeanLapTime"), "std_s": FastF1Column("StdSeconds"),
}
PACE_TEAMS: Mapping = {
    "rank": FastF1Column("Rank"), "team": FastF1Column("Team"),
    "drivers": FastF1Column("Drivers"), "clean_laps": FastF1Column("CleanLaps"), **QUANTILES,
    "gap_to_fastest_s": _td("GapToFastest"),
}
PACE_LAPS: Mapping = {
    "driver": FastF1Column("Driver"), "team": FastF1Column("Team"),
    "lap_number": FastF1Column("LapNumber"), "lap_time_s": _td("LapTime"),
    "compound": FastF1Column("Compound"),
}
QUALIFYING: Mapping = {
    "driver": FastF1Column("Abbreviation"), "team": FastF1Column("TeamName"),
    "position": FastF1Column("Position"), "q1_s": _td("Q1"), "q2_s": _td("Q2"),
    "q3_s": _td("Q3"), "best_lap_s": _td("BestLapTime"), "gap_to_pole_s": _td("GapToPole"),
    "gap_to_pole_pct": FastF1Column("GapToPolePercent"),
    "knocked_out_in": FastF1Column("KnockedOutIn"),
    "best_sector1_s": _td("BestSector1Time"), "best_sector2_s": _td("BestSector2Time"),
    "best_sector3_s": _td("BestSector3Time"), "ideal_lap_s": _td("IdealLapTime"),
    "ideal_gain_s": _td("IdealGain"),
}


def _columnar(rows: list[dict[str, Any]], mapping: Mapping) -> Columns:
    return {name: [row.get(name) for row in rows] for name in mapping}


def race_trace_table(facts: RaceTraceFacts) -> tuple[Columns, Mapping]:
    return facts.trace.model_dump(), RACE_TRACE


def strategy_table(facts: StrategyFacts, table: StrategyTable) -> tuple[Columns, Mapping]:
    if table == "pit-stops":
        return _columnar([s.model_dump() for s in facts.pit_stops], PIT_STOPS), PIT_STOPS
    return _columnar([s.model_dump() for s in facts.stints], STINTS), STINTS


def _quantiles(value: PaceQuantiles | None) -> dict[str, float | None]:
    return value.model_dump() if value else dict.fromkeys(QUANTILES)


def pace_table(facts: PaceDistributionFacts, table: PaceTable) -> tuple[Columns, Mapping]:
    if table == "teams":
        rows = [{**t.model_dump(exclude={"quantiles"}), **_quantiles(t.quantiles),
                 "drivers": " ".join(t.drivers)} for t in facts.teams]
        return _columnar(rows, PACE_TEAMS), PACE_TEAMS
    if table == "laps":
        rows = [{"driver": d.driver, "team": d.team, "lap_number": n, "lap_time_s": t,
                 "compound": c} for d in facts.drivers
                for n, t, c in zip(d.lap_number, d.lap_time_s, d.compound, strict=True)]
        return _columnar(rows, PACE_LAPS), PACE_LAPS
    rows = [{**d.model_dump(exclude={"quantiles", "lap_number", "lap_time_s", "compound"}),
             **_quantiles(d.quantiles)} for d in facts.drivers]
    return _columnar(rows, PACE_DRIVERS), PACE_DRIVERS


def qualifying_table(facts: QualifyingOverviewFacts) -> tuple[Columns, Mapping]:
    rows = []
    for d in facts.drivers:
        segments = list(d.segment_best_s.values()) + [None] * 3
        sectors = list(d.best_sectors_s) + [None] * 3
        rows.append({
            **d.model_dump(include={"driver", "team", "best_lap_s", "gap_to_pole_s",
                                    "gap_to_pole_pct", "knocked_out_in", "ideal_lap_s",
                                    "ideal_gain_s"}),
            "position": d.finish_position, "q1_s": segments[0], "q2_s": segments[1],
            "q3_s": segments[2], "best_sector1_s": sectors[0], "best_sector2_s": sectors[1],
            "best_sector3_s": sectors[2]})
    return _columnar(rows, QUALIFYING), QUALIFYING
