"""Strategy: every driver's stints with their degradation fit, pit stops with their real cost,
and the undercut/overcut battles between them."""

from __future__ import annotations

import statistics
from itertools import groupby

from pitwall_analysis.facts.laps import r
from pitwall_analysis.facts.pit_stops import RULES as PIT_RULES
from pitwall_analysis.facts.pit_stops import battles, pit_stops
from pitwall_analysis.facts.race_laps import NEUTRALISATION_RULE, Lap, RaceLaps, neutralisations
from pitwall_analysis.facts.race_pace import (
    FUEL_EFFECT_S_PER_LAP,
    clean_laps,
    degradation_fit,
    fuel_corrected,
)
from pitwall_analysis.facts.race_pace import RULES as PACE_RULES
from pitwall_shared.contracts.race import DriverRef, StintFact, StrategyFacts

RULES = {
    "stint": "consecutive laps with one FastF1 stint number; laps without one (some lap-1 "
    "rows) belong to no stint",
    "clean_lap": PACE_RULES["clean_lap"],
    "degradation": PACE_RULES["degradation"] + "; the intercept is the fitted lap time at "
    "tyre age 0, so slope and points can be drawn together",
    "fuel_correction": PACE_RULES["fuel_correction"],
    **PIT_RULES,
    "neutralisation": NEUTRALISATION_RULE,
}


def _fuel_corrected_slope(clean: list[Lap], ages: list[float], slope: float | None,
                          total_laps: int) -> float | None:
    """Fuel correction adds FUEL_EFFECT_S_PER_LAP per lap number; where tyre age rises with
    the lap number (the usual case) every pairwise slope, hence the median, rises by exactly
    that much, so only a stint whose ages skip (a red flag, a data gap) is fitted again."""
    offsets = {lap.number - age for lap, age in zip(clean, ages, strict=True)}
    if slope is not None and len(offsets) == 1:
        return slope + FUEL_EFFECT_S_PER_LAP
    corrected = [fuel_corrected(lap.row, total_laps) for lap in clean]
    return degradation_fit(ages, corrected)[0]


def _stint(laps: list[Lap], clean_numbers: set[int], total_laps: int) -> StintFact:
    clean = [lap for lap in laps if lap.number in clean_numbers and lap.tyre_life is not None]
    ages = [float(lap.tyre_life) for lap in clean if lap.tyre_life is not None]
    times = [float(lap.time_s) for lap in clean if lap.time_s is not None]
    slope, intercept, _ = degradation_fit(ages, times)
    slope_fc = _fuel_corrected_slope(clean, ages, slope, total_laps)
    tyre_lives = [lap.tyre_life for lap in laps if lap.tyre_life is not None]
    return StintFact(
        driver=laps[0].driver, stint=laps[0].stint or 0, compound=laps[0].compound,
        first_lap=laps[0].number, last_lap=laps[-1].number, laps=len(laps),
        tyre_age_start=int(min(tyre_lives)) if tyre_lives else None,
        tyre_age_end=int(max(tyre_lives)) if tyre_lives else None,
        clean_laps=len(clean),
        median_clean_lap_s=r(statistics.median(times), 3) if times else None,
        degradation_s_per_lap=r(slope, 4), degradation_intercept_s=r(intercept, 3),
        fuel_corrected_degradation_s_per_lap=r(slope_fc, 4),
        clean_tyre_age=[int(a) for a in ages], clean_lap_time_s=[round(t, 3) for t in times])


def stints(race: RaceLaps, driver: str) -> list[StintFact]:
    laps = race.by_driver.get(driver, [])
    clean = {int(row["lap_number"]) for row in clean_laps([lap.row for lap in laps])}
    return [_stint(list(group), clean, race.total_laps)
            for number, group in groupby(laps, key=lambda lap: lap.stint) if number is not None]


def strategy(race: RaceLaps, order: list[DriverRef]) -> StrategyFacts:
    ranges = neutralisations(race)
    drivers = [ref.driver for ref in order if ref.driver in race.by_driver]
    stops = pit_stops(race, ranges, drivers)
    unmeasured = [s for s in stops if s.time_loss_s is None]
    notes = []
    if unmeasured:
        notes.append(f"{len(unmeasured)} of {len(stops)} stops have no measured cost (see "
                     "each stop's note): too few cars ran those laps without pitting.")
    return StrategyFacts(
        rules=RULES, total_laps=race.total_laps, drivers=order,
        stints=[s for d in drivers for s in stints(race, d)], pit_stops=stops,
        battles=battles(race, stops), neutralisations=ranges, notes=notes)
