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
# Cars through to the second and third segment in a 20-car field (five go out in each of
# the first two): a car through to Q3 whose every lap there was deleted still reached it.
FIELD_THROUGH = (20, 15, 10)

RULES = {
    "segments": "each driver's best time per segment from the official classification (Q1, "
    "Q2, Q3; SQ1-SQ3 in sprint qualifying); a driver reached a segment when they, or a driver "
    "classified behind them, set a time in it, or (20-car field) when classified in the top "
    "15 for the second segment and the top 10 for the third; out in the last segment reached "
    "before the final one",
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


def _knocked_out(rank: int, deepest: dict[str, int],
                 names: tuple[QualifyingSegment, ...]) -> QualifyingSegment | None:
    """The last segment reached: one the driver set a time in, or one that a driver
    classified behind them set a time in (a car through to Q3 that set no time there)."""
    reached = [name for name in names if rank <= deepest.get(name, 0)]
    last = reached[-1] if reached else names[0]
    return None if last == names[-1] else last


def _deepest_rank(order: list[DriverRef], by_driver: dict[Any, dict[str, Any]],
                  names: tuple[QualifyingSegment, ...]) -> dict[str, int]:
    """Per segment, the lowest classification rank (1-based) that reached it: the lowest
    among drivers with a time there, or the format's cars through in a 20-car field."""
    deepest: dict[str, int] = {}
    if len(order) == FIELD_THROUGH[0]:
        deepest = dict(zip(names, FIELD_THROUGH, strict=True))
    for rank, ref in enumerate(order, start=1):
        row = by_driver.get(ref.driver, {})
        for name, column in zip(names, RESULT_COLUMNS, strict=True):
            if row.get(column) is not None:
                deepest[name] = max(rank, deepest.get(name, 0))
    return deepest


def _segments(drivers: list[QualifyingDriver],
              names: tuple[QualifyingSegment, ...]) -> list[SegmentSummary]:
    summaries = []
    for index, name in enumerate(names):
        timed = [(time, d) for d in drivers
                 if (time := d.segment_best_s.get(name)) is not None]
        if not timed:
            continue
        fastest_s, fastest = min(timed, key=lambda pair: pair[0])
        final = index + 1 == len(names)
        through = [time for time, d in timed if not final and d.knocked_out_in != name]
        summaries.append(SegmentSummary(
            segment=name, fastest=fastest.driver, fastest_s=fastest_s,
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
    deepest = _deepest_rank(order, by_driver, names)
    notes: list[str] = []
    drivers = []
    for rank, ref in enumerate(order, start=1):
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
            knocked_out_in=_knocked_out(rank, deepest, names)
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
