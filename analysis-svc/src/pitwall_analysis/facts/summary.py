"""Session summary: results and gaps, fastest laps, tyre usage, weather and race control."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from pitwall_analysis.facts.fastest_laps import fastest_laps
from pitwall_analysis.facts.laps import Columns, compound_name, r, rows

NOTABLE_WORDS = ("RED FLAG", "SAFETY CAR", "VSC", "PENALTY", "INVESTIGATION", "DISQUALIFIED",
                 "CHEQUERED", "DELETED", "RETIRED", "STOPPED")
MAX_EVENTS = 20
FASTEST_SHOWN = 5


def _best_qualifying_time(row: dict[str, Any]) -> float | None:
    for key in ("q3_s", "q2_s", "q1_s"):
        if row.get(key) is not None:
            return float(row[key])
    return None


def results_facts(results: Columns, session_code: str) -> list[dict[str, Any]]:
    ordered = sorted(rows(results), key=lambda row: row.get("position") or 999)
    facts = []
    leader_time = None
    for row in ordered:
        entry: dict[str, Any] = {
            "position": int(row["position"]) if row.get("position") is not None else None,
            "driver": row.get("abbreviation"),
            "team": row.get("team"),
        }
        if session_code in ("Q", "SQ"):
            best = _best_qualifying_time(row)
            leader_time = leader_time if leader_time is not None else best
            entry["best_time_s"] = r(best, 3)
            entry["gap_s"] = r(best - leader_time, 3) if best is not None and leader_time else None
        else:
            # FastF1 gives the winner's race time and everyone else's gap to the winner.
            time_s = row.get("time_s")
            leader_time = leader_time if leader_time is not None else time_s
            gap = None
            if time_s is not None and leader_time:
                gap = 0.0 if time_s == leader_time else time_s if time_s < leader_time else None
            entry.update({"grid": row.get("grid"), "status": row.get("status"),
                          "points": row.get("points"), "laps": row.get("laps"),
                          "time_s": r(time_s, 3), "gap_s": r(gap, 3)})
        facts.append(entry)
    return facts


def tyre_usage(laps: Columns) -> dict[str, Any]:
    laps_per_compound: Counter[str] = Counter()
    drivers_per_compound: dict[str, set[str]] = {}
    sequences: dict[str, list[str]] = {}
    last_stint: dict[str, Any] = {}
    for row in sorted(rows(laps), key=lambda x: (x.get("driver") or "", x.get("lap_number") or 0)):
        compound = compound_name(row.get("compound")) or "UNKNOWN"
        driver = row.get("driver") or "?"
        laps_per_compound[compound] += 1
        drivers_per_compound.setdefault(compound, set()).add(driver)
        if last_stint.get(driver, object()) != row.get("stint"):
            sequences.setdefault(driver, []).append(compound)
            last_stint[driver] = row.get("stint")
    return {
        "laps_per_compound": dict(laps_per_compound),
        "drivers_per_compound": {c: len(d) for c, d in drivers_per_compound.items()},
        "stint_compounds": sequences,
    }


def _column(table: Columns, *names: str) -> list[float]:
    for name in names:
        if name in table:
            return [float(v) for v in table[name] if v is not None]
    return []


def weather_trend(weather: Columns) -> dict[str, Any]:
    trend: dict[str, Any] = {}
    for label, names in (("air_temp_c", ("air_temp_c", "air_temp")),
                         ("track_temp_c", ("track_temp_c", "track_temp")),
                         ("humidity_pct", ("humidity_pct", "humidity"))):
        values = _column(weather, *names)
        if values:
            trend[label] = {"start": r(values[0], 1), "end": r(values[-1], 1),
                            "min": r(min(values), 1), "max": r(max(values), 1)}
    rain = _column(weather, "rainfall")
    if rain:
        trend["rain_samples_pct"] = r(100 * sum(1 for v in rain if v) / len(rain), 0)
    return trend


def notable_events(race_control: Columns) -> list[dict[str, Any]]:
    events = []
    for row in rows(race_control):
        message = str(row.get("message") or "")
        flag = str(row.get("flag") or "")
        if flag in ("RED", "CHEQUERED") or any(
                re.search(rf"\b{w}\b", message.upper()) for w in NOTABLE_WORDS):
            events.append({"time": row.get("time"), "lap": row.get("lap"),
                           "category": row.get("category"), "message": message})
    return events[:MAX_EVENTS]


EVENT_KINDS = {
    "red_flag": ("RED FLAG",),
    "safety_car": ("SAFETY CAR DEPLOYED",),
    "virtual_safety_car": ("VIRTUAL SAFETY CAR DEPLOYED", "VSC DEPLOYED"),
    "penalty": ("PENALTY",),
    "investigation": ("UNDER INVESTIGATION",),
    "lap_deleted": ("LAP DELETED", "TIME DELETED"),
}


def event_counts(race_control: Columns) -> dict[str, int]:
    counts = dict.fromkeys(EVENT_KINDS, 0)
    for row in rows(race_control):
        message = str(row.get("message") or "").upper()
        flag = str(row.get("flag") or "").upper()
        for kind, phrases in EVENT_KINDS.items():
            # Whole words: "CHEQUERED FLAG" must not count as a red flag.
            if any(re.search(rf"\b{p}\b", message) for p in phrases) or (
                    kind == "red_flag" and flag == "RED"):
                counts[kind] += 1
    return {kind: n for kind, n in counts.items() if n}


def session_summary(session_code: str, results: Columns, laps: Columns, weather: Columns,
                    race_control: Columns) -> dict[str, Any]:
    fastest = fastest_laps(laps)
    return {
        "results": results_facts(results, session_code),
        "fastest_laps": fastest["laps"][:FASTEST_SHOWN],
        "tyres": tyre_usage(laps),
        "weather": weather_trend(weather),
        "race_control": notable_events(race_control),
        "race_control_counts": event_counts(race_control),
    }
