"""What a pit stop really cost, measured against cars that ran the same laps without stopping,
the places it won or lost, and the undercut/overcut battles around it."""

from __future__ import annotations

import statistics

from pitwall_analysis.facts.laps import r
from pitwall_analysis.facts.race_laps import Lap, RaceLaps, neutralisation_on
from pitwall_shared.contracts.race import Neutralisation, PitBattle, PitStopFact

MIN_COMPARISON_CARS = 3
BATTLE_GAP_S = 3.0
BATTLE_WINDOW_LAPS = 5

RULES = {
    "pit_stop": "a lap with a pit entry followed by the driver's next lap with a pit exit",
    "time_loss": "in-lap plus out-lap minus the median, over the cars that pitted on neither "
    "of those two lap numbers, of their own times for the same two laps; null (with a note) "
    f"when fewer than {MIN_COMPARISON_CARS} such cars have both lap times",
    "positions": "position at the end of the lap before the in-lap against the position at "
    "the end of the out-lap; positions_gained = before - after",
    "battles": f"two cars within {BATTLE_GAP_S:g} s of each other at the end of the lap before "
    f"the first of them pitted, the other pitting within {BATTLE_WINDOW_LAPS} laps after; "
    "compared again at the end of the later out-lap: undercut when the first to pit came "
    "out ahead having been behind, overcut when the car that stayed out did, held otherwise",
}


def _pitted(lap: Lap | None) -> bool:
    return lap is None or lap.pit_in or lap.pit_out


def _reference(race: RaceLaps, driver: str, in_lap: int) -> list[float]:
    """Each other car's in_lap + out_lap time where it pitted on neither lap."""
    totals = []
    for other in race.by_driver:
        if other == driver:
            continue
        first, second = race.lap(other, in_lap), race.lap(other, in_lap + 1)
        if _pitted(first) or _pitted(second):
            continue
        assert first is not None and second is not None  # _pitted is True for None
        if first.time_s is not None and second.time_s is not None:
            totals.append(first.time_s + second.time_s)
    return totals


def _position(race: RaceLaps, driver: str, number: int) -> int | None:
    lap = race.lap(driver, number)
    return lap.position if lap else None


def _stop(race: RaceLaps, in_lap: Lap, out_lap: Lap,
          ranges: list[Neutralisation]) -> PitStopFact:
    n = in_lap.number
    before, after = _position(race, in_lap.driver, n - 1), _position(race, in_lap.driver, n + 1)
    totals = _reference(race, in_lap.driver, n)
    reference = statistics.median(totals) if totals else None
    neutral = neutralisation_on(ranges, n, n + 1)
    loss, note = None, None
    own = (in_lap.time_s + out_lap.time_s
           if in_lap.time_s is not None and out_lap.time_s is not None else None)
    moved = (f"{in_lap.driver} went from P{before} to P{after}" if before and after
             else "its positions through the stop are not known")
    if own is None:
        note = f"The in-lap or out-lap has no time, so the cost is not measured; {moved}."
    elif len(totals) < MIN_COMPARISON_CARS:
        context = f" (most of the field pitted under the {neutral})" if neutral else ""
        count = len(totals)
        who = ("No car" if count == 0
               else f"Only {count} car{'s' if count != 1 else ''}")
        note = (f"{who} ran laps {n} and {n + 1} without pitting{context}, too few to "
                f"measure the cost; {moved}.")
    else:
        assert reference is not None
        loss = own - reference
    return PitStopFact(
        driver=in_lap.driver, in_lap=n, out_lap=out_lap.number,
        compound_before=in_lap.compound, compound_after=out_lap.compound,
        in_lap_s=r(in_lap.time_s, 3), out_lap_s=r(out_lap.time_s, 3),
        reference_s=r(reference, 3), comparison_cars=len(totals), time_loss_s=r(loss, 3),
        neutralisation=neutral, position_before=before, position_after=after,
        positions_gained=before - after if before and after else None, note=note)


def pit_stops(race: RaceLaps, ranges: list[Neutralisation],
              drivers: list[str] | None = None) -> list[PitStopFact]:
    """Every stop of ``drivers`` (all when None), ordered by driver then lap."""
    stops = []
    for driver in drivers if drivers is not None else list(race.by_driver):
        for lap in race.by_driver.get(driver, []):
            out = race.lap(driver, lap.number + 1)
            if lap.pit_in and out is not None and out.pit_out:
                stops.append(_stop(race, lap, out, ranges))
    return stops


def _gap(race: RaceLaps, a: str, b: str, number: int) -> float | None:
    end_a, end_b = race.end(a, number), race.end(b, number)
    return None if end_a is None or end_b is None else end_a - end_b


def battles(race: RaceLaps, stops: list[PitStopFact]) -> list[PitBattle]:
    by_driver: dict[str, list[PitStopFact]] = {}
    for stop in stops:
        by_driver.setdefault(stop.driver, []).append(stop)
    found = []
    for first in stops:
        for other, other_stops in by_driver.items():
            if other == first.driver:
                continue
            gap_before = _gap(race, first.driver, other, first.in_lap - 1)
            if gap_before is None or abs(gap_before) > BATTLE_GAP_S:
                continue
            response = next((s for s in other_stops if first.in_lap < s.in_lap
                             <= first.in_lap + BATTLE_WINDOW_LAPS), None)
            if response is None or any(first.in_lap < s.in_lap <= response.in_lap
                                       for s in by_driver[first.driver]):
                continue
            gap_after = _gap(race, first.driver, other, response.out_lap)
            if gap_after is None:
                continue
            if gap_before > 0 > gap_after:
                outcome, winner = "undercut", first.driver
            elif gap_before < 0 < gap_after:
                outcome, winner = "overcut", other
            else:
                outcome, winner = "held", first.driver if gap_after < 0 else other
            found.append(PitBattle(
                first_to_pit=first.driver, other=other, first_in_lap=first.in_lap,
                other_in_lap=response.in_lap, gap_before_s=round(gap_before, 3),
                gap_after_s=round(gap_after, 3), outcome=outcome, winner=winner))
    return found
