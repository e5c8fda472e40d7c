"""Race trace: position, gap to the leader and interval to the car ahead on every lap."""

from __future__ import annotations

from typing import Any

from pitwall_analysis.facts.laps import r, rows
from pitwall_analysis.facts.race_laps import (
    LAP_END_RULE,
    NEUTRALISATION_RULE,
    Lap,
    RaceLaps,
    neutralisations,
)
from pitwall_shared.contracts.race import (
    DriverRef,
    RaceTraceColumns,
    RaceTraceDriver,
    RaceTraceFacts,
)

RULES = {
    "lap_end": LAP_END_RULE,
    "position": "FastF1's Laps.Position: the driver's position at the end of the lap",
    "gap_to_leader": "the driver's lap-end session time minus the lap-end session time of the "
    "car in position 1 on the same lap number",
    "interval": "the driver's lap-end session time minus that of the car one position ahead "
    "on the same lap number",
    "laps_down": "how many laps the leader had completed beyond this lap number when the "
    "driver finished it (a lapped car's gap is still measured at the same lap number, so it "
    "exceeds a lap time)",
    "completed_lap": "a lap FastF1 gave a position; the lap a car retired on has none and is "
    "left out. A last lap without a lap time has no known end, so no gap or interval",
    "neutralisation": NEUTRALISATION_RULE,
}


def _finished(status: str) -> bool:
    return status == "Finished" or status.startswith("+") or "Lap" in status


def _difference(lap: Lap, other: Lap | None) -> float | None:
    if other is None or lap.end_s is None or other.end_s is None:
        return None
    return lap.end_s - other.end_s


def _laps_down(leader_end: dict[int, float | None], number: int, end: float) -> int:
    """Leader lap-ends beyond lap ``number`` at or before ``end``."""
    down = 0
    while (later := leader_end.get(number + down + 1)) is not None and later <= end:
        down += 1
    return down


def race_trace(race: RaceLaps, order: list[DriverRef], results: dict[str, Any]) -> RaceTraceFacts:
    status = {row.get("abbreviation"): str(row.get("status") or "") for row in rows(results)}
    leader_end = {n: race.end(lap.driver, n) for n in range(1, race.total_laps + 1)
                  if (lap := race.leader(n)) is not None}
    columns: dict[str, list[Any]] = {name: [] for name in RaceTraceColumns.model_fields}
    drivers: list[RaceTraceDriver] = []
    notes: list[str] = []
    lapped: dict[str, int] = {}
    for ref in order:
        completed = [lap for lap in race.by_driver.get(ref.driver, [])
                     if lap.position is not None]
        for lap in completed:
            assert lap.position is not None  # filtered above
            leader = race.leader(lap.number)
            ahead = race.by_position.get((lap.number, lap.position - 1))
            gap = _difference(lap, leader)
            interval = _difference(lap, ahead)
            if lap.end_s is None:
                notes.append(f"{ref.driver}'s lap {lap.number} has no lap time, so its end "
                             "(and its gap) is not known.")
            down = _laps_down(leader_end, lap.number, lap.end_s) if lap.end_s else 0
            if down:
                lapped[ref.driver] = max(lapped.get(ref.driver, 0), down)
            columns["driver"].append(ref.driver)
            columns["lap_number"].append(lap.number)
            columns["position"].append(lap.position)
            columns["gap_to_leader_s"].append(r(gap, 3))
            columns["interval_s"].append(r(interval, 3) if lap.position > 1 else None)
            columns["laps_down"].append(down)
        text = status.get(ref.driver, "")
        done = completed[-1].number if completed else 0
        retired = None if _finished(text) or not text else done
        if retired is not None:
            notes.append(f"{ref.driver} did not finish ({text}); last lap completed: {done}.")
        drivers.append(RaceTraceDriver(
            **ref.model_dump(), laps_completed=done, status=text, retired_on_lap=retired,
            pit_laps=[lap.number for lap in race.by_driver.get(ref.driver, []) if lap.pit_in]))
    for driver, down in lapped.items():
        notes.append(f"{driver} was lapped (up to {down} lap{'s' if down > 1 else ''} down); "
                     "its gap is still taken at the same lap number.")
    return RaceTraceFacts(
        rules=RULES, total_laps=race.total_laps, drivers=drivers,
        trace=RaceTraceColumns(**columns), neutralisations=neutralisations(race), notes=notes)
