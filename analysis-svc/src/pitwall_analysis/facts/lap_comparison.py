"""Corner-by-corner comparison of two laps, from their samples and the circuit's corners."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from pitwall_analysis.facts.traces import AlignedLaps, LapTrace, align

# A corner zone reaches this far before/after the apex, but never past the midpoint to the
# neighbouring corner, so zones never overlap.
ZONE_BEFORE_M = 200.0
ZONE_AFTER_M = 100.0
FULL_THROTTLE_PCT = 98.0
DRS_OPEN_MIN_CODE = 10  # FastF1 DRS codes 10, 12 and 14 mean the flap is open
PLACES_RANKED = 5

DEFINITIONS = {
    "corner_zone": f"from {ZONE_BEFORE_M:.0f} m before to {ZONE_AFTER_M:.0f} m after the corner "
    "position, cut at the midpoint to a neighbouring corner",
    "braking_point": "distance before the corner position where the last continuous brake "
    "application ahead of the minimum-speed point began",
    "entry_speed": "speed at the start of the corner zone",
    "exit_speed": "speed at the end of the corner zone",
    "time_delta_s": "time B lost to A across the zone (positive: A faster)",
    "min_speed_diff_kmh": "A's minimum speed minus B's (exit_speed_diff_kmh likewise)",
    "braking_point_diff_m": "B's braking distance before the corner minus A's (positive: A "
    "braked later)",
    "full_throttle": f"share of lap time with throttle >= {FULL_THROTTLE_PCT:.0f} %",
    "drs_open": f"DRS code >= {DRS_OPEN_MIN_CODE}",
    "distance_alignment": "B's distance scaled to A's lap length before comparing",
    "places": "corners and the straights between them; adjacent corners gained by the same "
    "driver are joined into one place",
}


@dataclass(frozen=True)
class CornerMark:
    number: int
    letter: str
    distance_m: float

    @property
    def label(self) -> str:
        return f"T{self.number}{self.letter}"


def _r(value: float | None, digits: int) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)


def _diff(a: float | None, b: float | None) -> float | None:
    return a - b if a is not None and b is not None else None


def corner_zones(corners: list[CornerMark], lap_length_m: float) -> list[tuple[float, float]]:
    zones = []
    for i, corner in enumerate(corners):
        prev_d = corners[i - 1].distance_m if i > 0 else -np.inf
        next_d = corners[i + 1].distance_m if i + 1 < len(corners) else np.inf
        start = max(corner.distance_m - ZONE_BEFORE_M, (prev_d + corner.distance_m) / 2, 0.0)
        end = min(corner.distance_m + ZONE_AFTER_M, (corner.distance_m + next_d) / 2, lap_length_m)
        zones.append((float(start), float(end)))
    return zones


def _corner_table(
    trace: LapTrace, scale: float, corners: list[CornerMark], zones: list[tuple[float, float]]
) -> list[dict[str, Any]]:
    """Per-corner figures for one driver; zone lookups are vectorised over all corners."""
    dist = trace.distance * scale
    unique, first = np.unique(dist, return_index=True)
    bounds = np.array(zones, dtype=np.float64).reshape(-1, 2)
    entry = np.interp(bounds[:, 0], unique, trace.speed[first]).tolist()
    exit_ = np.interp(bounds[:, 1], unique, trace.speed[first]).tolist()
    lo = np.searchsorted(dist, bounds[:, 0], side="left").tolist()
    hi = np.searchsorted(dist, bounds[:, 1], side="right").tolist()
    speed, brake, gear = trace.speed, trace.brake, trace.gear
    table = []
    for i, corner in enumerate(corners):
        facts: dict[str, Any] = {"braking_point_m_before": None, "entry_speed_kmh":
                                 _r(entry[i], 1), "min_speed_kmh": None,
                                 "exit_speed_kmh": _r(exit_[i], 1), "apex_gear": None}
        if hi[i] > lo[i]:
            apex = lo[i] + int(np.argmin(speed[lo[i]:hi[i]]))
            braking = np.flatnonzero(brake[lo[i]:apex + 1] > 0)
            if braking.size:
                # Walk back from the last braking sample to where that application began.
                onset = lo[i] + int(braking[-1])
                while onset - 1 >= lo[i] and brake[onset - 1] > 0:
                    onset -= 1
                facts["braking_point_m_before"] = _r(corner.distance_m - float(dist[onset]), 0)
            facts["min_speed_kmh"] = _r(float(speed[apex]), 1)
            apex_gear = float(gear[apex])
            facts["apex_gear"] = int(apex_gear) if math.isfinite(apex_gear) else None
        table.append(facts)
    return table


def _delta_between(aligned: AlignedLaps, start: float, end: float) -> float:
    at = np.interp([start, end], aligned.grid, aligned.delta)
    return float(at[1] - at[0])


def _shares(trace: LapTrace) -> dict[str, Any]:
    dt = np.diff(trace.time, append=trace.time[-1])
    total = float(dt.sum()) or 1.0
    # Comparisons with NaN (a channel the upstream lacked) are False: counted as "off".
    full = trace.throttle >= FULL_THROTTLE_PCT
    braking = trace.brake > 0
    drs_open = trace.drs >= DRS_OPEN_MIN_CODE
    dd = np.diff(trace.distance, append=trace.distance[-1])
    activations = int(np.count_nonzero(np.diff(drs_open.astype(np.int8)) == 1) + drs_open[0])
    return {
        "full_throttle_pct": _r(100 * dt[full].sum() / total, 1),
        "braking_pct": _r(100 * dt[braking].sum() / total, 1),
        "drs_open_m": _r(float(dd[drs_open].sum()), 0),
        "drs_activations": activations,
    }


def _speed_facts(trace: LapTrace, traps: dict[str, float | None]) -> dict[str, Any]:
    facts: dict[str, Any] = {"top_speed_kmh": _r(float(np.nanmax(trace.speed)), 1)}
    for key in ("speed_i1", "speed_i2", "speed_fl", "speed_st"):
        facts[f"{key}_kmh"] = _r(traps.get(key), 1)
    return facts


def _sectors(a: LapTrace, b: LapTrace) -> list[dict[str, Any]]:
    sectors = []
    for i, (sa, sb) in enumerate(zip(a.sector_times_s, b.sector_times_s, strict=False)):
        delta = sb - sa if sa is not None and sb is not None else None
        sectors.append({"sector": i + 1, "a_s": _r(sa, 3), "b_s": _r(sb, 3),
                        "delta_s": _r(delta, 3)})
    return sectors


def _segment(label: str, kind: str, start: float, end: float, delta: float, a: LapTrace,
             b: LapTrace) -> dict[str, Any]:
    return {
        "place": label, "kind": kind, "start_m": _r(start, 0), "end_m": _r(end, 0),
        "time_delta_s": _r(delta, 3), "gainer": a.driver if delta > 0 else b.driver,
        "gainer_side": "a" if delta > 0 else "b",
    }


def _places(segments: list[dict[str, Any]], a: LapTrace, b: LapTrace) -> list[dict[str, Any]]:
    """Adjacent corners won by the same driver form one place ("T4-T5"): a gain through a
    sequence of bends is one story, not several small ones."""
    places: list[dict[str, Any]] = []
    for segment in segments:
        last = places[-1] if places else None
        if (last is not None and segment["kind"] == "corner" and last["kind"] == "corner"
                and last["gainer_side"] == segment["gainer_side"]
                and last["end_m"] == segment["start_m"]):
            delta = (last["time_delta_s"] or 0) + (segment["time_delta_s"] or 0)
            corners = [*last["corners"], segment["place"]]
            merged = _segment(f"{corners[0]}-{corners[-1]}", "corner", last["start_m"],
                              segment["end_m"], delta, a, b)
            places[-1] = {**merged, "corners": corners}
        else:
            members = [segment["place"]] if segment["kind"] == "corner" else []
            places.append({**segment, "corners": members})
    return places


def compare_laps(
    a: LapTrace,
    b: LapTrace,
    corners: list[CornerMark],
    *,
    track_length_m: float | None = None,
    speed_traps: dict[str, dict[str, float | None]] | None = None,
) -> dict[str, Any]:
    """Facts comparing lap B against lap A. Corner distances are scaled to A's lap length
    when the circuit's reference length is known."""
    aligned = align(a, b)
    scale_b = aligned.scale_b
    if track_length_m:
        factor = a.length_m / track_length_m
        corners = [CornerMark(c.number, c.letter, c.distance_m * factor) for c in corners]
    corners = sorted((c for c in corners if 0 <= c.distance_m <= a.length_m),
                     key=lambda c: c.distance_m)
    zones = corner_zones(corners, a.length_m)
    traps = speed_traps or {}

    corner_facts = []
    segments = []
    cursor = 0.0
    table_a = _corner_table(a, 1.0, corners, zones)
    table_b = _corner_table(b, scale_b, corners, zones)
    for corner, (start, end), fa, fb in zip(corners, zones, table_a, table_b, strict=True):
        if start - cursor > 1.0:
            label = "start to " + corner.label if cursor == 0 else f"approach to {corner.label}"
            segments.append(_segment(label, "straight", cursor, start,
                                     _delta_between(aligned, cursor, start), a, b))
        delta = _delta_between(aligned, start, end)
        min_diff = _diff(fa["min_speed_kmh"], fb["min_speed_kmh"])
        braking_diff = _diff(fb["braking_point_m_before"], fa["braking_point_m_before"])
        corner_facts.append({
            "corner": corner.label, "number": corner.number, "letter": corner.letter,
            "distance_m": _r(corner.distance_m, 0), "zone_start_m": _r(start, 0),
            "zone_end_m": _r(end, 0), "a": fa, "b": fb, "time_delta_s": _r(delta, 3),
            "min_speed_diff_kmh": _r(min_diff, 1), "braking_point_diff_m": _r(braking_diff, 0),
            "exit_speed_diff_kmh": _r(_diff(fa["exit_speed_kmh"], fb["exit_speed_kmh"]), 1),
            "gainer": a.driver if delta > 0 else b.driver,
        })
        segments.append(_segment(corner.label, "corner", start, end, delta, a, b))
        cursor = end
    if a.length_m - cursor > 1.0:
        label = "run to the line" if corners else "whole lap"
        segments.append(_segment(label, "straight", cursor, a.length_m,
                                 _delta_between(aligned, cursor, a.length_m), a, b))

    ranked = sorted(_places(segments, a, b), key=lambda s: abs(s["time_delta_s"] or 0),
                    reverse=True)
    lap_delta = (b.lap_time_s - a.lap_time_s
                 if a.lap_time_s is not None and b.lap_time_s is not None else None)
    return {
        "definitions": DEFINITIONS,
        "a": {"driver": a.driver, "lap_number": a.lap_number, "lap_time_s": _r(a.lap_time_s, 3)},
        "b": {"driver": b.driver, "lap_number": b.lap_number, "lap_time_s": _r(b.lap_time_s, 3)},
        "lap_time_delta_s": _r(lap_delta, 3),
        "integrated_delta_s": _r(float(aligned.delta[-1]), 3),
        "lap_length_m": _r(a.length_m, 0),
        "sectors": _sectors(a, b),
        "corners": corner_facts,
        "segments": segments,
        "speed": {"a": _speed_facts(a, traps.get(a.driver, {})),
                  "b": _speed_facts(b, traps.get(b.driver, {}))},
        "driving": {"a": _shares(a), "b": _shares(b)},
        "won_and_lost": {
            "a_gained": [s for s in ranked if s["gainer_side"] == "a"][:PLACES_RANKED],
            "b_gained": [s for s in ranked if s["gainer_side"] == "b"][:PLACES_RANKED],
        },
    }
