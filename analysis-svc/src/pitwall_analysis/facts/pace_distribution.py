"""Race pace distribution: each driver's and each team's clean laps as quantiles, and the
median gap between teammates."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from pitwall_analysis.facts.laps import r
from pitwall_analysis.facts.race_laps import RaceLaps
from pitwall_analysis.facts.race_pace import RULES as PACE_RULES
from pitwall_analysis.facts.race_pace import clean_laps
from pitwall_shared.contracts.race import (
    DriverPaceDistribution,
    DriverRef,
    PaceDistributionFacts,
    PaceQuantiles,
    TeammateDelta,
    TeamPace,
)

RULES = {
    "clean_lap": PACE_RULES["clean_lap"],
    "quantiles": "minimum, 25th percentile, median, 75th percentile and maximum of the clean "
    "lap times (linear interpolation)",
    "team": "a team's quantiles are over its drivers' clean laps pooled; teams ranked by that "
    "median, gap_to_fastest_s against the fastest team's median",
    "teammates": "driver_b's median clean lap minus driver_a's, driver_a being the better "
    "finisher",
}


def quantiles(times: Sequence[float]) -> PaceQuantiles | None:
    if not len(times):
        return None
    low, q1, median, q3, high = np.percentile(np.asarray(times, dtype=float),
                                              [0, 25, 50, 75, 100])
    return PaceQuantiles(min_s=round(float(low), 3), q1_s=round(float(q1), 3),
                         median_s=round(float(median), 3), q3_s=round(float(q3), 3),
                         max_s=round(float(high), 3))


def _driver(race: RaceLaps, ref: DriverRef) -> DriverPaceDistribution:
    clean = clean_laps([lap.row for lap in race.by_driver.get(ref.driver, [])])
    times = [float(row["lap_time_s"]) for row in clean]
    laps = [race.at[(ref.driver, int(row["lap_number"]))] for row in clean]
    return DriverPaceDistribution(
        **ref.model_dump(), clean_laps=len(times), quantiles=quantiles(times),
        mean_s=r(float(np.mean(times)), 3) if times else None,
        std_s=r(float(np.std(times, ddof=1)), 3) if len(times) > 1 else None,
        lap_number=[lap.number for lap in laps], lap_time_s=[round(t, 3) for t in times],
        compound=[lap.compound for lap in laps])


def _teams(drivers: list[DriverPaceDistribution]) -> tuple[list[TeamPace], list[str]]:
    members: dict[str, list[DriverPaceDistribution]] = {}
    for driver in drivers:
        members.setdefault(driver.team or driver.driver, []).append(driver)
    teams, notes = [], []
    for team, group in members.items():
        pooled = [t for d in group for t in d.lap_time_s]
        spread = quantiles(pooled)
        if spread is None:
            notes.append(f"{team} has no clean laps and is not ranked.")
            continue
        teams.append(TeamPace(team=team, team_colour=group[0].team_colour,
                              drivers=[d.driver for d in group], clean_laps=len(pooled),
                              quantiles=spread, rank=0, gap_to_fastest_s=0.0))
    teams.sort(key=lambda t: t.quantiles.median_s)
    for rank, ranked in enumerate(teams, start=1):
        ranked.rank = rank
        ranked.gap_to_fastest_s = round(
            ranked.quantiles.median_s - teams[0].quantiles.median_s, 3)
    return teams, notes


def _teammates(drivers: list[DriverPaceDistribution]) -> list[TeammateDelta]:
    by_team: dict[str, list[DriverPaceDistribution]] = {}
    for driver in drivers:  # finishing order, so the first of a team finished ahead
        if driver.team:
            by_team.setdefault(driver.team, []).append(driver)
    deltas = []
    for team, group in by_team.items():
        for a, b in pairwise(group):
            delta = (round(b.quantiles.median_s - a.quantiles.median_s, 3)
                     if a.quantiles and b.quantiles else None)
            faster = None if delta is None else (a.driver if delta > 0 else b.driver
                                                 if delta < 0 else None)
            deltas.append(TeammateDelta(team=team, driver_a=a.driver, driver_b=b.driver,
                                        median_delta_s=delta, faster=faster))
    return deltas


def pace_distribution(race: RaceLaps, order: list[DriverRef]) -> PaceDistributionFacts:
    drivers = [_driver(race, ref) for ref in order]
    notes = [f"{d.driver} has no clean laps." for d in drivers if not d.clean_laps]
    teams, team_notes = _teams(drivers)
    return PaceDistributionFacts(rules=RULES, drivers=drivers, teams=teams,
                                 teammates=_teammates(drivers), notes=notes + team_notes)
