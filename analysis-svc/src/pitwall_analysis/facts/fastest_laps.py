"""Each driver's fastest lap with lap and sector deltas to the session's fastest lap."""

from __future__ import annotations

from typing import Any

from pitwall_analysis.facts.laps import Columns, r, rows

SECTORS = ("sector1_s", "sector2_s", "sector3_s")


def _valid(row: dict[str, Any]) -> bool:
    return row.get("lap_time_s") is not None and not row.get("deleted")


def fastest_per_driver(table: Columns) -> dict[str, dict[str, Any]]:
    best: dict[str, dict[str, Any]] = {}
    for row in rows(table):
        if not _valid(row):
            continue
        current = best.get(row["driver"])
        if current is None or row["lap_time_s"] < current["lap_time_s"]:
            best[row["driver"]] = row
    return best


def best_sectors(table: Columns) -> dict[str, list[float | None]]:
    """Each driver's best time in each sector over all valid laps (for the ideal lap)."""
    best: dict[str, list[float | None]] = {}
    for row in rows(table):
        if not _valid(row):
            continue
        current = best.setdefault(row["driver"], [None, None, None])
        for i, key in enumerate(SECTORS):
            value = row.get(key)
            if value is not None and (current[i] is None or value < current[i]):
                current[i] = value
    return best


def fastest_laps(table: Columns) -> dict[str, Any]:
    best = fastest_per_driver(table)
    if not best:
        return {"pole": None, "laps": []}
    ordered = sorted(best.values(), key=lambda row: row["lap_time_s"])
    pole = ordered[0]
    sectors_by_driver = best_sectors(table)
    laps = []
    for position, row in enumerate(ordered, start=1):
        sectors = [row.get(key) for key in SECTORS]
        deltas = [
            r(value - pole[key], 3) if value is not None and pole.get(key) is not None else None
            for value, key in zip(sectors, SECTORS, strict=True)
        ]
        ideal_parts = sectors_by_driver.get(row["driver"], [None, None, None])
        parts = [p for p in ideal_parts if p is not None]
        ideal = sum(parts) if len(parts) == len(SECTORS) else None
        laps.append({
            "position": position,
            "driver": row["driver"],
            "lap_number": row.get("lap_number"),
            "lap_time_s": r(row["lap_time_s"], 3),
            "gap_to_fastest_s": r(row["lap_time_s"] - pole["lap_time_s"], 3),
            "sectors_s": [r(s, 3) for s in sectors],
            "sector_deltas_s": deltas,
            "compound": row.get("compound"),
            "tyre_life": row.get("tyre_life"),
            "ideal_lap_s": r(ideal, 3),
        })
    return {
        "fastest": {"driver": pole["driver"], "lap_number": pole.get("lap_number"),
                    "lap_time_s": r(pole["lap_time_s"], 3)},
        "laps": laps,
        "rule": "fastest lap per driver among laps with a time that were not deleted; "
        "deltas are to the session's fastest lap; ideal lap = sum of the driver's best sectors",
    }
