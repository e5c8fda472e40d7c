"""Qualifying overview: gap to pole, best lap per segment and where each driver went out,
and the ideal lap (best sectors) against the actual best."""

from __future__ import annotations

from typing import Any, cast

from pitwall_analysis.facts.fastest_laps import best_sectors, fastest_per_driver
from pitwall_analysis.facts.laps import Columns, r, rows
from pitwall_shared.contracts.race import (
    DriverRef,
    QualifyingDriver,
    QualifyingOverviewFacts,
    QualifyingSegment,
    SegmentSummary,
)

RESULT_COLUMNS = ("q1_s", "q2_s", "q3_s")

RULES = {
    "segments": "each driver's best time per segment from the official classification (Q1, "
    "Q2, Q3; SQ1-SQ3 in sprint qualifying); a driver went out in the last segment they set or "
    "were entered for before the final one",
    "best_lap": "the driver's fastest segment time (when the classification has none, the "
    "fastest lap in the laps that was not deleted)",
    "gap_to_pole": "best_lap_s minus the pole sitter's best_lap_s; percent of the pole time",
    "ideal_lap": "sum of the driver's best sector 1, 2 and 3 over all laps that have a time "
    "and were not deleted; ideal_gain_s = best_lap_s - ideal_lap_s",
    "cutoff": "the slowest time in a segment among the drivers who went through to the next",
}


def segment_names(session_code: str) -> tuple[QualifyingSegment, ...]:
    if session_code in ("SQ", "SS"):
        return ("SQ1", "SQ2", "SQ3")
    return ("Q1", "Q2", "Q3")


def _times(row: dict[str, Any], names: tuple[QualifyingSegment, ...]) -> dict[str, float | None]:
    return {name: r(row.get(column), 3) for name, column in zip(names, RESULT_COLUMNS,
                                                               strict=True)}


def _knocked_out(times: dict[str, float | None],
                 names: tuple[QualifyingSegment, ...]) -> QualifyingSegment | None:
    reached = [name for name in names if times[name] is not None]
    last = reached[-1] if reached else names[0]
    return None if last == names[-1] else last


def _segments(drivers: list[QualifyingDriver],
              names: tuple[QualifyingSegment, ...]) -> list[SegmentSummary]:
    summaries = []
    for index, name in enumerate(names):
        timed = [(time, d.driver) for d in drivers
                 if (time := d.segment_best_s.get(name)) is not None]
        if not timed:
            continue
        fastest_s, fastest = min(timed)
        through = ([time for time, driver in timed
                    if any(d.driver == driver and d.segment_best_s.get(names[index + 1])
                           is not None for d in drivers)]
                   if index + 1 < len(names) else [])
        summaries.append(SegmentSummary(
            segment=name, fastest=fastest, fastest_s=fastest_s,
            cutoff_s=max(through) if through else None,
            eliminated=[d.driver for d in drivers if d.knocked_out_in == name]))
    return summaries


def qualifying_overview(session_code: str, order: list[DriverRef], results: Columns,
                        laps: Columns) -> QualifyingOverviewFacts:
    names = segment_names(session_code)
    by_driver = {row.get("abbreviation"): row for row in rows(results)}
    fastest = fastest_per_driver(laps)
    sectors = best_sectors(laps)
    has_segments = any(row.get(RESULT_COLUMNS[0]) is not None for row in by_driver.values())
    notes: list[str] = []
    drivers = []
    for ref in order:
        times = _times(by_driver.get(ref.driver, {}), names)
        set_times = [t for t in times.values() if t is not None]
        best = min(set_times) if set_times else None
        if best is None and ref.driver in fastest:
            best = r(float(fastest[ref.driver]["lap_time_s"]), 3)
            notes.append(f"{ref.driver} has no classified segment time; its best lap comes "
                         "from the laps.")
        parts = sectors.get(ref.driver, [None, None, None])
        ideal = sum(cast(list[float], parts)) if all(p is not None for p in parts) else None
        drivers.append(QualifyingDriver(
            **ref.model_dump(), best_lap_s=best, segment_best_s=times,
            knocked_out_in=_knocked_out(times, names)
            if has_segments and ref.driver in by_driver else None,
            best_sectors_s=[r(p, 3) for p in parts], ideal_lap_s=r(ideal, 3),
            ideal_gain_s=r(best - ideal, 3) if best is not None and ideal is not None else None))
    pole = next((d for d in drivers if d.best_lap_s is not None), None)
    for driver in drivers:
        if pole is not None and pole.best_lap_s and driver.best_lap_s is not None:
            driver.gap_to_pole_s = round(driver.best_lap_s - pole.best_lap_s, 3)
            driver.gap_to_pole_pct = round(100 * driver.gap_to_pole_s / pole.best_lap_s, 3)
    if not has_segments:
        notes.append("The classification has no segment times, so there are no segments.")
    return QualifyingOverviewFacts(
        rules=RULES, pole=DriverRef(**pole.model_dump(include=set(DriverRef.model_fields)))
        if pole else None, pole_time_s=pole.best_lap_s if pole else None, drivers=drivers,
        segments=_segments(drivers, names), notes=notes)
