"""Lap table queries: drivers, filters, picking one lap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from pitwall_shared.problem_types import unknown_driver
from pitwall_shared.problems import ProblemError
from pitwall_telemetry.services.catalog import Snapshot
from pitwall_telemetry.snapshots.tables import Table, select, table_length

QUICK_LAP_THRESHOLD = 1.07  # FastF1's pick_quicklaps default: within 107 % of the fastest


def _find_driver(snap: Snapshot, asked: str) -> str | None:
    wanted = asked.strip().upper()
    for driver in snap.meta["drivers"]:
        if wanted in (driver["abbreviation"].upper(), str(driver["number"])):
            return str(driver["abbreviation"])
    return None


def driver_abbreviations(snap: Snapshot, asked: list[str]) -> tuple[str, ...]:
    """Abbreviations of the drivers asked for (abbreviation or car number); one problem
    naming every unknown one."""
    found = [_find_driver(snap, name) for name in asked]
    unknown = [name.strip() for name, hit in zip(asked, found, strict=True) if hit is None]
    if unknown:
        raise unknown_driver(unknown, (d["abbreviation"] for d in snap.meta["drivers"]),
                             snap.describe())
    return tuple(hit for hit in found if hit is not None)


def driver_abbreviation(snap: Snapshot, asked: str) -> str:
    return driver_abbreviations(snap, [asked])[0]


def with_driver_numbers(snap: Snapshot, laps: dict[str, Any]) -> dict[str, Any]:
    """The lap columns with each lap's car number after ``driver`` (FastF1's DriverNumber)."""
    numbers = {d["abbreviation"]: str(d["number"]) for d in snap.meta["drivers"]}
    out: dict[str, Any] = {}
    for name, column in laps.items():
        out[name] = column
        if name == "driver":
            out["driver_number"] = [numbers.get(driver) for driver in column]
    return out


@dataclass(frozen=True)
class LapFilter:
    drivers: tuple[str, ...] = ()
    compound: str | None = None
    stint: int | None = None
    accurate_only: bool = False
    quick_only: bool = False
    min_lap_time_s: float | None = None
    max_lap_time_s: float | None = None


def _valid_compound(laps: Table, asked: str) -> str:
    present = sorted({str(c) for c in laps["compound"] if isinstance(c, str)})
    if asked.upper() not in present:
        raise ProblemError(422, f"Compound '{asked}' does not occur in this session; it has "
                           f"{', '.join(present) or 'none'}.", slug="invalid-compound",
                           valid_values=present)
    return asked.upper()


def filter_laps(laps: Table, criteria: LapFilter) -> Table:
    mask = np.ones(table_length(laps), dtype=bool)
    lap_time = laps["lap_time_s"].astype(float)
    if criteria.drivers:
        mask &= np.isin(laps["driver"], list(criteria.drivers))
    if criteria.compound:
        mask &= laps["compound"] == _valid_compound(laps, criteria.compound)
    if criteria.stint is not None:
        mask &= laps["stint"].astype(float) == criteria.stint
    if criteria.accurate_only:
        mask &= laps["is_accurate"] == True  # noqa: E712 - object arrays hold True/False/None
    if criteria.quick_only and np.isfinite(lap_time).any():
        mask &= lap_time <= np.nanmin(lap_time) * QUICK_LAP_THRESHOLD
    if criteria.min_lap_time_s is not None:
        mask &= lap_time >= criteria.min_lap_time_s
    if criteria.max_lap_time_s is not None:
        mask &= lap_time <= criteria.max_lap_time_s
    return select(laps, mask)


def pick_lap(laps: Table, driver: str, lap: str, snap: Snapshot) -> dict[str, Any]:
    """One lap row as a dict; ``lap`` is a lap number or ``fastest``."""
    own = np.flatnonzero(laps["driver"] == driver)
    if own.size == 0:
        raise ProblemError(404, f"{driver} set no laps in {snap.describe()}.",
                           slug="lap-not-found")
    numbers = laps["lap_number"][own].astype(int)
    if lap.strip().lower() == "fastest":
        times = laps["lap_time_s"][own].astype(float)
        if not np.isfinite(times).any():
            raise ProblemError(404, f"{driver} has no timed lap in {snap.describe()}.",
                               slug="lap-not-found")
        index = own[int(np.nanargmin(times))]
    else:
        try:
            wanted = int(lap)
        except ValueError:
            raise ProblemError(422, f"Lap '{lap}' is neither a lap number nor 'fastest'.",
                               slug="invalid-lap",
                               valid_values=["fastest", *map(int, numbers)]) from None
        hits = own[numbers == wanted]
        if hits.size == 0:
            raise ProblemError(404, f"{driver} has no lap {wanted} in {snap.describe()}; "
                               f"laps are {_describe_numbers(numbers)}.", slug="lap-not-found",
                               valid_values=["fastest", *map(int, numbers)])
        index = hits[0]
    return {name: _plain(column[index]) for name, column in laps.items()}


def _describe_numbers(numbers: np.ndarray) -> str:
    values = sorted(set(int(n) for n in numbers))
    if len(values) > 3 and values == list(range(values[0], values[-1] + 1)):
        return f"{values[0]}-{values[-1]}"
    return ", ".join(map(str, values))


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def lap_ref(row: dict[str, Any]) -> dict[str, Any]:
    return {"driver": row["driver"], "lap_number": int(row["lap_number"]),
            "lap_time_s": row["lap_time_s"],
            "sector_times_s": [row["sector1_s"], row["sector2_s"], row["sector3_s"]],
            "compound": row["compound"], "tyre_life": row["tyre_life"]}
