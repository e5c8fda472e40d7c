"""Race pace: stints, tyre degradation, fuel-corrected pace, consistency and pit loss."""

from __future__ import annotations

import statistics
from itertools import groupby
from typing import Any

import numpy as np

from pitwall_analysis.facts.laps import (
    Columns,
    compound_name,
    driver_rows,
    is_set,
    neutralised,
    r,
)
from pitwall_analysis.facts.pit_stops import RULES as PIT_RULES
from pitwall_analysis.facts.pit_stops import pit_stops
from pitwall_analysis.facts.race_laps import index_laps, neutralisations
from pitwall_shared.contracts.race import PitStopFact

# Each lap burns ~1.7 kg of fuel and each kg costs ~0.033 s, so a car gets ~0.055 s/lap
# quicker from fuel alone. Correcting to the final lap's fuel load removes that trend.
FUEL_EFFECT_S_PER_LAP = 0.055
# A lap more than this much slower than its stint's median is traffic or a mistake.
OUTLIER_FACTOR = 1.02
MIN_LAPS_FOR_SLOPE = 4

RULES = {
    "clean_lap": "has a lap time, is not lap 1, not an in- or out-lap, not deleted, not run "
    "under safety car, VSC or red flag (track status 4/5/6/7), and not more than "
    f"{(OUTLIER_FACTOR - 1) * 100:.0f} % slower than the median of the stint's other "
    "candidate laps (traffic)",
    "degradation": "Theil-Sen slope of clean lap times against tyre age (s/lap), stints with "
    f"at least {MIN_LAPS_FOR_SLOPE} clean laps; least-squares slope given alongside",
    "fuel_correction": f"lap time minus {FUEL_EFFECT_S_PER_LAP} s for every lap still to run, "
    "i.e. all laps at the final lap's fuel load",
    "pit_loss": PIT_RULES["time_loss"],
}


def _candidate(row: dict[str, Any]) -> bool:
    return (
        row.get("lap_time_s") is not None
        and (row.get("lap_number") or 0) > 1
        and not is_set(row.get("pit_in"))
        and not is_set(row.get("pit_out"))
        and not row.get("deleted")
        and not neutralised(row.get("track_status"))
    )


def clean_laps(laps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Clean laps of one driver (rows sorted by lap), outliers judged within each stint."""
    clean: list[dict[str, Any]] = []
    for _, stint_rows in groupby(laps, key=lambda row: row.get("stint")):
        candidates = [row for row in stint_rows if _candidate(row)]
        if not candidates:
            continue
        median = statistics.median(row["lap_time_s"] for row in candidates)
        clean.extend(row for row in candidates if row["lap_time_s"] <= median * OUTLIER_FACTOR)
    return clean


def fuel_corrected(row: dict[str, Any], total_laps: int) -> float:
    return float(row["lap_time_s"] - FUEL_EFFECT_S_PER_LAP * (total_laps - row["lap_number"]))


def degradation_fit(x: list[float], y: list[float]) -> tuple[float | None, float | None,
                                                             float | None]:
    """Theil-Sen slope and intercept, and the least-squares slope (None: too few laps).

    Theil-Sen as scipy's ``theilslopes`` defines it (median of the slopes of all pairs with
    distinct x; intercept median(y) - slope * median(x)), without its confidence interval,
    which costs ten times the fit and is not used.
    """
    if len(x) < MIN_LAPS_FOR_SLOPE or len(set(x)) < 2:
        return None, None, None
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    dx = xs[:, np.newaxis] - xs
    dy = ys[:, np.newaxis] - ys
    rising = dx > 0
    slope = float(np.median(dy[rising] / dx[rising]))
    intercept = float(np.median(ys) - slope * np.median(xs))
    centred = xs - xs.mean()
    plain = float(centred @ (ys - ys.mean()) / (centred @ centred))
    return slope, intercept, plain


def _stint_facts(stint_rows: list[dict[str, Any]], clean: list[dict[str, Any]],
                 total_laps: int) -> dict[str, Any]:
    lap_numbers = {row["lap_number"] for row in clean}
    clean_here = [row for row in stint_rows if row["lap_number"] in lap_numbers]
    ages = [float(row["tyre_life"]) for row in clean_here if row.get("tyre_life") is not None]
    times = [float(row["lap_time_s"]) for row in clean_here if row.get("tyre_life") is not None]
    corrected = [fuel_corrected(row, total_laps) for row in clean_here
                 if row.get("tyre_life") is not None]
    slope, _, slope_ls = degradation_fit(ages, times)
    slope_fc, _, _ = degradation_fit(ages, corrected)
    tyre_lives = [row["tyre_life"] for row in stint_rows if row.get("tyre_life") is not None]
    return {
        "stint": int(stint_rows[0]["stint"]),
        "compound": compound_name(stint_rows[0].get("compound")),
        "first_lap": stint_rows[0]["lap_number"],
        "last_lap": stint_rows[-1]["lap_number"],
        "laps": len(stint_rows),
        "tyre_age_start": r(min(tyre_lives), 0) if tyre_lives else None,
        "tyre_age_end": r(max(tyre_lives), 0) if tyre_lives else None,
        "clean_laps": len(clean_here),
        "median_clean_lap_s": r(float(np.median(times)), 3) if times else None,
        "degradation_s_per_lap": r(slope, 3),
        "degradation_ls_s_per_lap": r(slope_ls, 3),
        "fuel_corrected_degradation_s_per_lap": r(slope_fc, 3),
        "fuel_corrected_mean_s": r(float(np.mean(corrected)), 3) if corrected else None,
    }


def driver_pace(laps: list[dict[str, Any]], total_laps: int,
                stops: list[PitStopFact]) -> dict[str, Any]:
    clean = clean_laps(laps)
    times = np.array([row["lap_time_s"] for row in clean], dtype=float)
    median = float(np.median(times)) if times.size else None
    q1, q3 = (np.percentile(times, [25, 75]) if times.size else (np.nan, np.nan))
    # Laps without a stint number (FastF1 leaves some lap-1 rows blank) belong to no stint.
    stints = [list(group) for stint, group in groupby(laps, key=lambda row: row.get("stint"))
              if stint is not None]
    corrected = [fuel_corrected(row, total_laps) for row in clean]
    return {
        "laps": len(laps),
        "clean_laps": len(clean),
        "excluded_laps": len(laps) - len(clean),
        "median_clean_lap_s": r(median, 3),
        "fuel_corrected_mean_s": r(float(np.mean(corrected)), 3) if corrected else None,
        "std_s": r(float(np.std(times, ddof=1)), 3) if times.size > 1 else None,
        "iqr_s": r(float(q3 - q1), 3),
        "stints": [_stint_facts(s, clean, total_laps) for s in stints if s],
        "pit_stops": [{**stop.model_dump(), "under_neutralisation": stop.neutralisation is not None}
                      for stop in stops],
    }


def race_pace(table: Columns, drivers: list[str]) -> dict[str, Any]:
    """Facts for the given drivers; ``table`` is the session's laps table."""
    lap_numbers = [n for n in table.get("lap_number", []) if n is not None]
    total_laps = int(max(lap_numbers)) if lap_numbers else 0
    race = index_laps(table)
    stops = pit_stops(race, neutralisations(race), drivers)
    per_driver = {d: driver_pace(driver_rows(table, d), total_laps,
                                 [s for s in stops if s.driver == d]) for d in drivers}
    reference = drivers[0]
    comparison = []
    for other in drivers[1:]:
        ref, oth = per_driver[reference], per_driver[other]
        pairs = {}
        for key in ("median_clean_lap_s", "fuel_corrected_mean_s"):
            if ref[key] is not None and oth[key] is not None:
                pairs[f"{key[:-2]}_gap_s"] = r(oth[key] - ref[key], 3)
        comparison.append({"driver": other, "reference": reference, **pairs})
    return {
        "rules": RULES,
        "fuel_effect_s_per_lap": FUEL_EFFECT_S_PER_LAP,
        "race_laps": total_laps,
        "drivers": per_driver,
        "comparison": comparison,
    }
