"""Small race-weekend fact sets built straight from telemetry-svc's real lap table.

The drawing tests use them to exercise each chart on real data without analysis-svc (whose
own tests check the facts); the rules here are deliberately plain: lap-end time is
``lap_start_s + lap_time_s``, clean laps are accurate green-flag laps without a pit stop.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import Any

import numpy as np

from pitwall_shared.contracts.race import (
    DriverPaceDistribution,
    DriverRef,
    Neutralisation,
    PaceDistributionFacts,
    PaceQuantiles,
    PitStopFact,
    QualifyingDriver,
    QualifyingOverviewFacts,
    RaceTraceColumns,
    RaceTraceDriver,
    RaceTraceFacts,
    SegmentSummary,
    StintFact,
    StrategyFacts,
    TeamPace,
)

RULES = {"source": "test fixture built from the lap table"}


def rows_of(table: dict[str, list[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(table, values, strict=True)) for values in zip(*table.values(), strict=True)]


def driver_refs(info: dict[str, Any]) -> list[DriverRef]:
    results = rows_of(info["results"])
    return [DriverRef(driver=r["abbreviation"], team=r["team"] or "",
                      team_colour=r["team_colour"] or "",
                      finish_position=int(r["position"]) if r["position"] else None)
            for r in results]


def _clean(row: dict[str, Any]) -> bool:
    return bool(row["is_accurate"] and row["lap_time_s"] and row["track_status"] == "1"
                and not row["pit_in"] and not row["pit_out"])


def _neutralisations(rows: list[dict[str, Any]]) -> list[Neutralisation]:
    flagged: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        status = str(row["track_status"] or "")
        for code, kind in (("4", "SC"), ("6", "VSC"), ("5", "RED")):
            if code in status:
                flagged[kind].add(row["lap_number"])
    spans = []
    for kind, laps in flagged.items():
        ordered = sorted(laps)
        for _, run in groupby(enumerate(ordered), key=lambda pair: pair[1] - pair[0]):
            numbers = [lap for _, lap in run]
            spans.append(Neutralisation(kind=kind, first_lap=numbers[0], last_lap=numbers[-1]))
    return spans


def race_trace(info: dict[str, Any], table: dict[str, list[Any]]) -> RaceTraceFacts:
    rows = [r for r in rows_of(table) if r["position"] is not None and r["lap_time_s"]]
    end = {(r["driver"], r["lap_number"]): r["lap_start_s"] + r["lap_time_s"] for r in rows}
    by_lap_position = {(r["lap_number"], int(r["position"])): r["driver"] for r in rows}
    columns: dict[str, list[Any]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: (r["driver"], r["lap_number"])):
        lap, position = r["lap_number"], int(r["position"])
        leader = by_lap_position.get((lap, 1))
        ahead = by_lap_position.get((lap, position - 1))
        own = end[(r["driver"], lap)]
        columns["driver"].append(r["driver"])
        columns["lap_number"].append(lap)
        columns["position"].append(position)
        columns["gap_to_leader_s"].append(round(own - end[(leader, lap)], 3) if leader else None)
        columns["interval_s"].append(round(own - end[(ahead, lap)], 3) if ahead else None)
        columns["laps_down"].append(0)
    pits = defaultdict(list)
    for r in rows_of(table):
        if r["pit_in"]:
            pits[r["driver"]].append(r["lap_number"])
    laps_done = defaultdict(int)
    for r in rows:
        laps_done[r["driver"]] = max(laps_done[r["driver"]], r["lap_number"])
    drivers = [RaceTraceDriver(**ref.model_dump(), laps_completed=laps_done[ref.driver],
                               pit_laps=pits[ref.driver]) for ref in driver_refs(info)]
    return RaceTraceFacts(rules=RULES, total_laps=max(laps_done.values()), drivers=drivers,
                          trace=RaceTraceColumns(**columns), neutralisations=_neutralisations(rows))


def strategy(info: dict[str, Any], table: dict[str, list[Any]]) -> StrategyFacts:
    rows = rows_of(table)
    stints = []
    by_driver = defaultdict(list)
    for r in rows:
        by_driver[r["driver"]].append(r)
    for driver, laps in by_driver.items():
        laps.sort(key=lambda r: r["lap_number"])
        for number, (_, run) in enumerate(groupby(laps, key=lambda r: r["stint"]), start=1):
            stint_laps = list(run)
            clean = [r for r in stint_laps if _clean(r) and r["tyre_life"] is not None]
            ages = [int(r["tyre_life"]) for r in clean]
            times = [r["lap_time_s"] for r in clean]
            slope = intercept = None
            if len(set(ages)) >= 3:
                slope, intercept = (float(v) for v in np.polyfit(ages, times, 1))
            first, last = stint_laps[0]["lap_number"], stint_laps[-1]["lap_number"]
            stints.append(StintFact(
                driver=driver, stint=number, compound=stint_laps[-1]["compound"], first_lap=first,
                last_lap=last, laps=last - first + 1, clean_laps=len(clean),
                degradation_s_per_lap=slope, degradation_intercept_s=intercept,
                clean_tyre_age=ages, clean_lap_time_s=times))
    stops = [PitStopFact(driver=r["driver"], in_lap=r["lap_number"], out_lap=r["lap_number"] + 1)
             for r in rows if r["pit_in"]]
    return StrategyFacts(rules=RULES, total_laps=max(r["lap_number"] for r in rows),
                         drivers=driver_refs(info), stints=stints, pit_stops=stops,
                         neutralisations=_neutralisations(rows))


def _quantiles(times: list[float]) -> PaceQuantiles:
    q = np.quantile(times, [0, 0.25, 0.5, 0.75, 1])
    return PaceQuantiles(min_s=q[0], q1_s=q[1], median_s=q[2], q3_s=q[3], max_s=q[4])


def pace(info: dict[str, Any], table: dict[str, list[Any]]) -> PaceDistributionFacts:
    clean = [r for r in rows_of(table) if _clean(r)]
    drivers = []
    for ref in driver_refs(info):
        mine = [r for r in clean if r["driver"] == ref.driver]
        times = [r["lap_time_s"] for r in mine]
        drivers.append(DriverPaceDistribution(
            **ref.model_dump(), clean_laps=len(mine),
            quantiles=_quantiles(times) if times else None,
            lap_number=[r["lap_number"] for r in mine], lap_time_s=times,
            compound=[r["compound"] for r in mine]))
    teams_laps: dict[str, list[float]] = defaultdict(list)
    colours = {}
    for d in drivers:
        teams_laps[d.team] += d.lap_time_s
        colours[d.team] = d.team_colour
    ranked = sorted((t for t in teams_laps if teams_laps[t]),
                    key=lambda t: float(np.median(teams_laps[t])))
    best = float(np.median(teams_laps[ranked[0]]))
    teams = [TeamPace(team=t, team_colour=colours[t], rank=i + 1, clean_laps=len(teams_laps[t]),
                      drivers=[d.driver for d in drivers if d.team == t],
                      quantiles=_quantiles(teams_laps[t]),
                      gap_to_fastest_s=round(float(np.median(teams_laps[t])) - best, 3))
             for i, t in enumerate(ranked)]
    return PaceDistributionFacts(rules=RULES, drivers=drivers, teams=teams, teammates=[])


def qualifying(info: dict[str, Any], table: dict[str, list[Any]]) -> QualifyingOverviewFacts:
    results = rows_of(info["results"])
    sectors = defaultdict(lambda: [float("inf")] * 3)
    for r in rows_of(table):
        for i in range(3):
            value = r[f"sector{i + 1}_s"]
            if value is not None and not r["deleted"]:
                sectors[r["driver"]][i] = min(sectors[r["driver"]][i], value)
    drivers = []
    for r in results:
        segments = {"Q1": r["q1_s"], "Q2": r["q2_s"], "Q3": r["q3_s"]}
        reached = [s for s, value in segments.items() if value is not None]
        best = min((v for v in segments.values() if v is not None), default=None)
        ideal = sum(sectors[r["abbreviation"]]) if r["abbreviation"] in sectors else None
        drivers.append(QualifyingDriver(
            driver=r["abbreviation"], team=r["team"] or "", team_colour=r["team_colour"] or "",
            finish_position=int(r["position"]) if r["position"] else None, best_lap_s=best,
            segment_best_s=segments,
            knocked_out_in=reached[-1] if reached and reached[-1] != "Q3" else None,
            ideal_lap_s=ideal if ideal != float("inf") else None))
    pole = drivers[0].best_lap_s
    for d in drivers:
        d.gap_to_pole_s = round(d.best_lap_s - pole, 3) if d.best_lap_s and pole else None
    segments = [SegmentSummary(segment=s, eliminated=[d.driver for d in drivers
                                                      if d.knocked_out_in == s])
                for s in ("Q1", "Q2", "Q3")]
    return QualifyingOverviewFacts(rules=RULES, pole=drivers[0], pole_time_s=pole,
                                   drivers=drivers, segments=segments)
