"""A race's laps indexed the way the race-weekend facts read them.

telemetry-svc's laps table has each lap's start (FastF1 ``LapStartTime``), not its end. FastF1
sets every lap's start to the previous lap's end (``Time``), so a lap ends where the driver's
next lap starts; a driver's last lap ends at its start plus its lap time. A ``time_s`` column
(FastF1 ``Time``), when the table has one, is used as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pitwall_analysis.facts.laps import Columns, compound_name, is_set, rows
from pitwall_shared.contracts.race import DriverRef, Neutralisation, NeutralisationKind
from pitwall_shared.contracts.telemetry import SessionInfo

# Track-status digits per neutralisation (FastF1: 4 safety car, 5 red flag, 6 VSC
# deployed, 7 VSC ending); a lap counts as neutralised when the leader's lap had the status.
NEUTRALISATION_DIGITS: tuple[tuple[NeutralisationKind, str], ...] = (
    ("RED", "5"), ("SC", "4"), ("VSC", "67"))
LAP_END_RULE = ("a lap ends where the driver's next lap starts (FastF1 sets LapStartTime to "
                "the previous lap's Time); a driver's last lap ends at its start plus its lap "
                "time")
NEUTRALISATION_RULE = ("a lap number is under SC, VSC or red flag when the track status of "
                       "the race leader's lap of that number includes 4, 6/7 or 5; "
                       "consecutive laps form one range per kind")


@dataclass
class Lap:
    driver: str
    number: int
    time_s: float | None
    end_s: float | None
    position: int | None
    pit_in: bool
    pit_out: bool
    compound: str | None
    tyre_life: float | None
    stint: int | None
    track_status: str
    row: dict[str, Any] = field(repr=False)


@dataclass
class RaceLaps:
    """Laps by driver (sorted by lap number) and by (lap number, position)."""

    by_driver: dict[str, list[Lap]]
    total_laps: int
    at: dict[tuple[str, int], Lap]
    by_position: dict[tuple[int, int], Lap]

    def lap(self, driver: str, number: int) -> Lap | None:
        return self.at.get((driver, number))

    def end(self, driver: str, number: int) -> float | None:
        lap = self.at.get((driver, number))
        return lap.end_s if lap is not None else None

    def leader(self, number: int) -> Lap | None:
        return self.by_position.get((number, 1))

    def all_laps(self) -> Iterable[Lap]:
        for laps in self.by_driver.values():
            yield from laps


def _number(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return int(value)


def _float(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return float(value)


# The columns the race-weekend facts read; the rest of the laps table is left out of the
# per-lap rows (a third of the columns, a third of the cost of building them).
USED_COLUMNS = ("driver", "lap_number", "lap_time_s", "time_s", "lap_start_s", "position",
                "pit_in", "pit_out", "compound", "tyre_life", "stint", "track_status",
                "deleted")


def index_laps(table: Columns) -> RaceLaps:
    by_driver: dict[str, list[Lap]] = {}
    for row in rows({name: table[name] for name in USED_COLUMNS if name in table}):
        number = _number(row.get("lap_number"))
        if number is None or not row.get("driver"):
            continue
        by_driver.setdefault(row["driver"], []).append(Lap(
            driver=row["driver"], number=number, time_s=_float(row.get("lap_time_s")),
            end_s=_float(row.get("time_s")), position=_number(row.get("position")),
            pit_in=is_set(row.get("pit_in")), pit_out=is_set(row.get("pit_out")),
            compound=compound_name(row.get("compound")), tyre_life=_float(row.get("tyre_life")),
            stint=_number(row.get("stint")), track_status=str(row.get("track_status") or ""),
            row=row))
    at: dict[tuple[str, int], Lap] = {}
    by_position: dict[tuple[int, int], Lap] = {}
    total = 0
    for laps in by_driver.values():
        laps.sort(key=lambda lap: lap.number)
        for this, following in zip(laps, [*laps[1:], None], strict=True):
            if this.end_s is None:
                this.end_s = _lap_end(this, following)
            at[(this.driver, this.number)] = this
            if this.position is not None:
                by_position[(this.number, this.position)] = this
                total = max(total, this.number)
    return RaceLaps(by_driver, total, at, by_position)


def _lap_end(lap: Lap, following: Lap | None) -> float | None:
    start = _float(lap.row.get("lap_start_s"))
    if following is not None and following.number == lap.number + 1:
        next_start = _float(following.row.get("lap_start_s"))
        if next_start is not None:
            return next_start
    if start is not None and lap.time_s is not None:
        return round(start + lap.time_s, 3)
    return None


def neutralisations(race: RaceLaps) -> list[Neutralisation]:
    """SC/VSC/red-flag lap ranges judged on the leader's laps; a lap that saw two kinds
    (a VSC turned into a safety car) belongs to both ranges."""
    ranges: list[Neutralisation] = []
    for kind, digits in NEUTRALISATION_DIGITS:
        current: Neutralisation | None = None
        for number in range(1, race.total_laps + 1):
            leader = race.leader(number)
            if leader is None or not set(digits) & set(leader.track_status):
                current = None
                continue
            if current is None:
                current = Neutralisation(kind=kind, first_lap=number, last_lap=number)
                ranges.append(current)
            current.last_lap = number
    return sorted(ranges, key=lambda item: (item.first_lap, item.last_lap))


def neutralisation_on(ranges: list[Neutralisation], *laps: int) -> NeutralisationKind | None:
    for item in ranges:
        if any(item.first_lap <= lap <= item.last_lap for lap in laps):
            return item.kind
    return None


def finishing_order(info: SessionInfo) -> list[DriverRef]:
    """Drivers as the results classify them (unclassified last), with team colours."""
    results = rows(info.results)
    teams = {d.abbreviation: d for d in info.drivers}
    ordered = sorted(results, key=lambda row: (_number(row.get("position")) or 999,
                                              str(row.get("abbreviation"))))
    refs = []
    for row in ordered:
        code = row.get("abbreviation")
        if not code:
            continue
        driver = teams.get(code)
        refs.append(DriverRef(
            driver=code, team=(driver.team if driver else row.get("team")) or "",
            team_colour=(driver.team_colour if driver else row.get("team_colour")) or "",
            finish_position=_number(row.get("position"))))
    listed = {ref.driver for ref in refs}
    refs += [DriverRef(driver=d.abbreviation, team=d.team, team_colour=d.team_colour)
             for d in info.drivers if d.abbreviation not in listed]
    return refs
