"""The session report of a race or sprint: race trace, pace, strategy with the real cost of
each pit stop, and the insights of those analyses."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from pitwall_report.rendering.chart_data import ChartData, ChartKind, RenderRequest
from pitwall_report.rendering.document import (
    ChartBlock,
    Highlight,
    ReportDocument,
    Section,
    Table,
)
from pitwall_report.services.chart_inputs import team_colours
from pitwall_report.services.report_common import (
    CHART_WIDTH,
    DASH,
    NONE,
    JobContext,
    combined_insights,
    lap_time,
    number,
    provenance,
    result_rows,
    seconds,
    session_title,
)
from pitwall_shared.contracts.analysis import SessionSummaryResponse
from pitwall_shared.contracts.race import (
    PaceDistributionFacts,
    PitStopFact,
    RaceTraceFacts,
    StrategyFacts,
)
from pitwall_shared.contracts.telemetry import SessionInfo

# Drivers highlighted on the race trace when the report names none: the podium and the
# next two, enough to read the fight at the front without hiding the field.
DEFAULT_HIGHLIGHT = 5
ROW_HEIGHT = 30


@dataclass(frozen=True)
class RaceFacts:
    info: SessionInfo
    summary: SessionSummaryResponse
    trace: RaceTraceFacts
    strategy: StrategyFacts
    pace: PaceDistributionFacts


def _charts(ctx: JobContext, race: RaceFacts) -> dict[str, RenderRequest]:
    order = [ref.driver for ref in race.trace.drivers]
    highlight = ctx.drivers or order[:DEFAULT_HIGHLIGHT]
    subtitle = session_title(race.info)
    rows = max(len(order), 4)
    kinds: list[tuple[str, ChartKind, str, int, list[str]]] = [
        ("race_trace", "race-trace", f"Race trace · {', '.join(highlight)}", 560, highlight),
        ("positions", "positions", "Race positions", 600, highlight),
        ("race_pace", "race-pace", "Race pace: clean laps per driver", 520, ctx.drivers),
        ("team_pace", "team-pace", "Team pace ranking", 500, []),
        ("strategy", "tyre-strategy", "Tyre strategy and pit stops", 120 + ROW_HEIGHT * rows,
         []),
        ("degradation", "degradation", "Tyre degradation", 560, ctx.drivers[:6]),
    ]
    # Each chart gets only the facts it draws: they are pickled to a render worker.
    trace_kinds, pace_kinds = ("race-trace", "positions"), ("race-pace", "team-pace")
    return {
        name: RenderRequest(
            ChartData(kind, title, subtitle, drivers=drivers, team_colours=team_colours(
                race.info), session_label=subtitle, year=race.info.session.year,
                race_trace=race.trace if kind in trace_kinds else None,
                pace=race.pace if kind in pace_kinds else None,
                strategy=race.strategy if kind in ("tyre-strategy", "degradation") else None),
            ctx.style, "pdf", CHART_WIDTH, height)
        for name, kind, title, height, drivers in kinds
    }


def _stop_cost(stop: PitStopFact) -> str:
    return f"{stop.time_loss_s:.3f}" if stop.time_loss_s is not None else "not measured"


def _pit_caption(strategy: StrategyFacts) -> str:
    """Why some stops have no cost, once under the table rather than in every row."""
    unmeasured = [s for s in strategy.pit_stops if s.time_loss_s is None and s.note]
    if not unmeasured:
        return ""
    first = unmeasured[0]
    return (f"{len(unmeasured)} stop(s) not measured; the Position column shows what they did "
            f"instead. For example {first.driver}, lap {first.in_lap}: {first.note}")


def _position_change(before: int | None, after: int | None) -> str:
    if before is None or after is None:
        return NONE
    return f"P{before} {DASH} P{after}"


def _tyres(stop: PitStopFact) -> str:
    before, after = (stop.compound_before or NONE).title(), (stop.compound_after or NONE).title()
    return f"{before} {DASH} {after}"


def _pit_rows(strategy: StrategyFacts) -> list[list[str]]:
    rows = []
    for stop in sorted(strategy.pit_stops, key=lambda s: (s.in_lap, s.driver)):
        both = (stop.in_lap_s + stop.out_lap_s
                if stop.in_lap_s is not None and stop.out_lap_s is not None else None)
        rows.append([stop.driver, str(stop.in_lap), _tyres(stop), seconds(both),
                     seconds(stop.reference_s), str(stop.comparison_cars), _stop_cost(stop),
                     stop.neutralisation or "",
                     _position_change(stop.position_before, stop.position_after)])
    return rows


def _battle_rows(strategy: StrategyFacts) -> list[list[str]]:
    return [[f"{b.first_to_pit} (lap {b.first_in_lap})", f"{b.other} (lap {b.other_in_lap})",
             seconds(b.gap_before_s, signed=True), seconds(b.gap_after_s, signed=True),
             b.outcome, b.winner] for b in strategy.battles]


def _team_rows(pace: PaceDistributionFacts) -> list[list[str]]:
    return [[str(t.rank), t.team, ", ".join(t.drivers), str(t.clean_laps),
             lap_time(t.quantiles.median_s), seconds(t.gap_to_fastest_s, signed=True)]
            for t in pace.teams]


def _teammate_rows(pace: PaceDistributionFacts) -> list[list[str]]:
    return [[t.team, t.driver_a, t.driver_b, seconds(t.median_delta_s, signed=True),
             t.faster or NONE] for t in pace.teammates]


def _stint_rows(strategy: StrategyFacts) -> list[list[str]]:
    return [[s.driver, str(s.stint), (s.compound or NONE).title(),
             f"{s.first_lap}{DASH}{s.last_lap}", str(s.clean_laps),
             lap_time(s.median_clean_lap_s), seconds(s.degradation_s_per_lap, signed=True)]
            for s in strategy.stints]


def _method(race: RaceFacts) -> Table:
    rules = {**race.trace.rules, **race.strategy.rules, **race.pace.rules}
    notes = list(dict.fromkeys([*race.trace.notes, *race.strategy.notes, *race.pace.notes]))
    rows = [[term.replace("_", " "), text] for term, text in rules.items()]
    rows += [["note", note] for note in notes]
    return Table("How the figures were computed", ["Term", "Rule"], rows)


def _highlights(race: RaceFacts) -> list[Highlight]:
    items = []
    if race.trace.drivers:
        winner = race.trace.drivers[0]
        items.append(Highlight("Winner", winner.driver, winner.team))
    fastest = race.summary.facts.fastest_laps
    if fastest:
        items.append(Highlight("Fastest lap", lap_time(fastest[0].lap_time_s),
                               f"{fastest[0].driver} · lap {fastest[0].lap_number}"))
    if race.pace.teams:
        best = race.pace.teams[0]
        items.append(Highlight("Best race pace", best.team,
                               f"median clean lap {lap_time(best.quantiles.median_s)}"))
    return items


async def build_race_report(ctx: JobContext, info: SessionInfo) -> ReportDocument:
    analysis = ctx.upstreams.analysis
    summary, trace, strategy, pace = await asyncio.gather(
        analysis.summary(ctx.key, ctx.token), analysis.race_trace(ctx.key, ctx.token),
        analysis.strategy(ctx.key, ctx.token), analysis.pace_distribution(ctx.key, ctx.token))
    race = RaceFacts(info, summary, trace.facts, strategy.facts, pace.facts)
    insights = combined_insights([summary.insights, trace.insights, strategy.insights,
                                  pace.insights])
    return ReportDocument(
        kind_label="Race report" if info.session.session == "R" else "Sprint report",
        title=ctx.title or f"{info.session.year} {info.session.event_name}",
        subtitle=info.session.session_name, style=ctx.style,
        provenance=provenance(info, summary), highlights=_highlights(race), insights=insights,
        charts=_charts(ctx, race), cover_chart="race_trace",
        sections=[
            Section("Results", "", [
                Table("Classification", ["Pos", "Driver", "Team", "Grid", "Status", "Points"],
                      result_rows(summary.facts.results), numeric=(0, 3, 5)),
                ChartBlock("positions")]),
            Section("Pace", "Clean laps only: green flag, no pit stop, accurate timing.", [
                ChartBlock("race_pace"), ChartBlock("team_pace"),
                Table("Team pace ranking", ["Rank", "Team", "Drivers", "Clean laps",
                                            "Median lap", "Gap (s)"],
                      _team_rows(race.pace), numeric=(0, 3, 4, 5)),
                Table("Team-mates", ["Team", "Ahead at the flag", "Team-mate",
                                     "Median delta (s)", "Faster"],
                      _teammate_rows(race.pace), numeric=(3,))], page_break_before=True),
            Section("Strategy", "The cost of a stop is measured against cars that ran the "
                    "same two laps without stopping (see Method).", [
                ChartBlock("strategy"),
                Table("Pit stops", ["Driver", "In-lap", "Tyres", "In+out (s)", "Reference (s)",
                                    "Cars", "Cost (s)", "Flag", "Position"],
                      _pit_rows(race.strategy), caption=_pit_caption(race.strategy),
                      numeric=(1, 3, 4, 5)),
                Table("Undercuts and overcuts", ["First to pit", "Other", "Gap before (s)",
                                                 "Gap after (s)", "Outcome", "Ahead after"],
                      _battle_rows(race.strategy) or [[NONE] * 6], numeric=(2, 3))],
                page_break_before=True),
            Section("Tyre degradation", "", [
                ChartBlock("degradation"),
                Table("Stints", ["Driver", "Stint", "Tyre", "Laps", "Clean", "Median lap",
                                 "Deg. (s/lap)"], _stint_rows(race.strategy),
                      numeric=(1, 4, 5, 6))], page_break_before=True),
            Section("Race control", "", [Table(
                "Notable messages", ["Lap", "Category", "Message"],
                [[number(e.lap), e.category or "", e.message]
                 for e in summary.facts.race_control]
                or [[NONE, NONE, "No notable messages."]])]),
            Section("Method", "", [_method(race)], page_break_before=True),
        ],
    )
