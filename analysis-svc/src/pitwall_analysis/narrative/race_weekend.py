"""Deterministic insights for the race-weekend analyses, read from their typed facts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pitwall_analysis.narrative.wording import insight, seconds
from pitwall_shared.contracts.analysis import Insight
from pitwall_shared.contracts.race import (
    Neutralisation,
    PaceDistributionFacts,
    QualifyingOverviewFacts,
    RaceTraceFacts,
    StrategyFacts,
)

SHOWN_STOPS = 3
SHOWN_BATTLES = 3
NEUTRALISATION_NAMES = {"SC": "Safety car", "VSC": "Virtual safety car", "RED": "Red flag"}


def _laps(item: Neutralisation) -> str:
    if item.first_lap == item.last_lap:
        return f"lap {item.first_lap}"
    return f"laps {item.first_lap}-{item.last_lap}"


def _neutralisations(ranges: list[Neutralisation]) -> Insight | None:
    if not ranges:
        return None
    parts = [f"{NEUTRALISATION_NAMES[n.kind]} {_laps(n)}" for n in ranges]
    figures: list[float | None] = [v for n in ranges for v in (n.first_lap, n.last_lap)]
    return insight("Neutralised: " + "; ".join(parts) + ".", figures, ["neutralisations"])


def race_trace(raw: dict[str, Any]) -> list[Insight]:
    facts = RaceTraceFacts.model_validate(raw)
    trace = facts.trace
    final: dict[str, tuple[int, int | None, float | None]] = {}
    first: dict[str, int | None] = {}
    for i, driver in enumerate(trace.driver):
        first.setdefault(driver, trace.position[i])
        final[driver] = (trace.lap_number[i], trace.position[i], trace.gap_to_leader_s[i])
    out: list[Insight] = []
    if facts.drivers:
        winner = facts.drivers[0].driver
        text = f"{winner} won"
        figures: list[float | None] = []
        runner = facts.drivers[1].driver if len(facts.drivers) > 1 else None
        if runner and runner in final and final[runner][0] == facts.total_laps:
            gap = final[runner][2]
            if gap is not None:
                text += f", {seconds(gap)} s ahead of {runner} at the line"
                figures.append(gap)
        out.append(insight(text + ".", figures, ["trace"]))
    if (item := _neutralisations(facts.neutralisations)) is not None:
        out.append(item)
    movers = [(start - end, start, end, d.driver) for d in facts.drivers
              if d.retired_on_lap is None and (start := first.get(d.driver))
              and (end := final.get(d.driver, (0, None, None))[1])]
    if movers:
        gained, start, end, driver = max(movers)
        if gained > 0:
            out.append(insight(
                f"{driver} made up the most ground: P{start} after lap 1, P{end} at the "
                "finish.", [start, end], ["trace.position"]))
    retired = [d for d in facts.drivers if d.retired_on_lap is not None]
    if retired:
        parts = [f"{d.driver} ({d.status}, {d.laps_completed} laps)" for d in retired]
        out.append(insight("Did not finish: " + ", ".join(parts) + ".",
                           [d.laps_completed for d in retired], ["drivers"]))
    return out


def strategy(raw: dict[str, Any]) -> list[Insight]:
    facts = StrategyFacts.model_validate(raw)
    out: list[Insight] = []
    # green-flag stops of the front runners first (pit_stops come in finishing order)
    measured = [s for s in facts.pit_stops
                if s.time_loss_s is not None and s.neutralisation is None]
    for stop in measured[:SHOWN_STOPS]:
        assert stop.time_loss_s is not None
        verb = "cost" if stop.time_loss_s >= 0 else "gained"
        text = (f"{stop.driver}'s stop on lap {stop.in_lap} {verb} {seconds(stop.time_loss_s)} s "
                f"against {stop.comparison_cars} cars that stayed out on laps {stop.in_lap} "
                f"and {stop.out_lap}")
        figures: list[float | None] = [stop.time_loss_s, stop.comparison_cars]
        if stop.position_before and stop.position_after:
            text += f" (P{stop.position_before} to P{stop.position_after})"
        out.append(insight(text + ".", figures, ["pit_stops"]))
    unmeasured = [s for s in facts.pit_stops if s.time_loss_s is None and s.note]
    if unmeasured:
        stop = unmeasured[0]
        out.append(insight(f"{stop.driver}, lap {stop.in_lap}: {stop.note}",
                           [stop.comparison_cars], ["pit_stops"]))
    decided = [b for b in facts.battles if b.outcome != "held"]
    for battle in decided[:SHOWN_BATTLES]:
        loser = battle.other if battle.winner == battle.first_to_pit else battle.first_to_pit
        out.append(insight(
            f"{battle.winner} got ahead of {loser} by the {battle.outcome}: "
            f"{seconds(battle.gap_before_s)} s apart before lap {battle.first_in_lap}, "
            f"{seconds(battle.gap_after_s or 0)} s apart after both stops.",
            [battle.gap_before_s, battle.gap_after_s], ["battles"]))
    fitted = [s for s in facts.stints if s.degradation_s_per_lap is not None
              and s.clean_laps >= 8]
    if fitted:
        low = min(fitted, key=lambda s: s.degradation_s_per_lap or 0)
        high = max(fitted, key=lambda s: s.degradation_s_per_lap or 0)
        for stint, word in ((high, "steepest"), (low, "flattest")):
            slope = stint.degradation_s_per_lap or 0
            out.append(insight(
                f"The {word} tyre curve: {stint.driver} on {stint.compound or 'unknown tyres'}, "
                f"laps {stint.first_lap}-{stint.last_lap}, "
                f"{'+' if slope >= 0 else '-'}{seconds(slope)} s per lap of tyre age.",
                [slope], ["stints"]))
    return out


def pace_distribution(raw: dict[str, Any]) -> list[Insight]:
    facts = PaceDistributionFacts.model_validate(raw)
    out: list[Insight] = []
    if facts.teams:
        best = facts.teams[0]
        text = (f"{best.team} had the best race pace, median clean lap "
                f"{seconds(best.quantiles.median_s)} s")
        figures: list[float | None] = [best.quantiles.median_s]
        if len(facts.teams) > 1:
            second = facts.teams[1]
            text += f"; {second.team} {seconds(second.gap_to_fastest_s)} s per lap slower"
            figures.append(second.gap_to_fastest_s)
        out.append(insight(text + ".", figures, ["teams"]))
    ranked = [d for d in facts.drivers if d.quantiles is not None]
    if ranked:
        fastest = min(ranked, key=lambda d: d.quantiles.median_s if d.quantiles else 0)
        assert fastest.quantiles is not None
        out.append(insight(
            f"Fastest median clean lap: {fastest.driver}, {seconds(fastest.quantiles.median_s)} s "
            f"over {fastest.clean_laps} laps.", [fastest.quantiles.median_s,
                                                 fastest.clean_laps], ["drivers"]))
    steady = [d for d in ranked if d.std_s is not None and d.clean_laps >= 10]
    if steady:
        most = min(steady, key=lambda d: d.std_s or 0)
        out.append(insight(f"Most consistent: {most.driver}, clean laps spread "
                           f"{seconds(most.std_s or 0)} s (standard deviation).",
                           [most.std_s], ["drivers"]))
    pairs = sorted((p for p in facts.teammates if p.median_delta_s is not None),
                   key=lambda p: -abs(p.median_delta_s or 0))
    for pair in pairs[:2]:
        slower = pair.driver_b if pair.faster == pair.driver_a else pair.driver_a
        out.append(insight(
            f"{pair.team}: {pair.faster} was {seconds(pair.median_delta_s or 0)} s per lap "
            f"quicker than {slower} on median clean laps.", [pair.median_delta_s],
            ["teammates"]))
    return out


def qualifying_overview(raw: dict[str, Any]) -> list[Insight]:
    facts = QualifyingOverviewFacts.model_validate(raw)
    out: list[Insight] = []
    if facts.pole and facts.pole_time_s is not None:
        text = f"{facts.pole.driver} took pole with {seconds(facts.pole_time_s)} s"
        figures: list[float | None] = [facts.pole_time_s]
        second = next((d for d in facts.drivers[1:] if d.gap_to_pole_s is not None), None)
        if second is not None:
            text += f", {seconds(second.gap_to_pole_s or 0)} s ahead of {second.driver}"
            figures.append(second.gap_to_pole_s)
        out.append(insight(text + ".", figures, ["pole", "drivers"]))
    for segment in facts.segments:
        if segment.eliminated and segment.cutoff_s is not None:
            out.append(insight(
                f"{segment.segment}: the cut was {seconds(segment.cutoff_s)} s; out: "
                f"{', '.join(segment.eliminated)}.", [segment.cutoff_s], ["segments"]))
    gains = [d for d in facts.drivers if d.ideal_gain_s is not None and d.ideal_gain_s > 0]
    if gains:
        most = max(gains, key=lambda d: d.ideal_gain_s or 0)
        out.append(insight(
            f"{most.driver}'s best sectors add up to {seconds(most.ideal_lap_s or 0)} s, "
            f"{seconds(most.ideal_gain_s or 0)} s quicker than the best lap.",
            [most.ideal_lap_s, most.ideal_gain_s], ["drivers"]))
    return out or [insight("No driver set a classified time in this session.", [], [])]


WRITERS: dict[str, Callable[[dict[str, Any]], list[Insight]]] = {
    "race_trace": race_trace,
    "strategy": strategy,
    "pace_distribution": pace_distribution,
    "qualifying_overview": qualifying_overview,
}
