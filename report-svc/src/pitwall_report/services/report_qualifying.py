"""The session report of a qualifying or sprint qualifying: gap to pole, the segments and
who each knocked out, ideal laps against the best, with the insights of those analyses."""

from __future__ import annotations

import asyncio

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
    NONE,
    JobContext,
    combined_insights,
    lap_time,
    provenance,
    seconds,
    session_title,
)
from pitwall_shared.contracts.race import QualifyingOverviewFacts
from pitwall_shared.contracts.telemetry import LapTable, SessionInfo

ROW_HEIGHT = 28


def _charts(ctx: JobContext, info: SessionInfo, overview: QualifyingOverviewFacts,
            table: LapTable) -> dict[str, RenderRequest]:
    subtitle = session_title(info)
    rows = max(len(overview.drivers), 4)
    kinds: list[tuple[str, ChartKind, str, int]] = [
        ("gaps", "quali-gaps", "Gap to pole", 140 + ROW_HEIGHT * rows),
        ("strategy", "tyre-strategy", "Runs and tyres", 120 + ROW_HEIGHT * rows),
    ]
    return {
        name: RenderRequest(
            ChartData(kind, title, subtitle, drivers=ctx.drivers if kind == "quali-gaps" else [],
                      lap_table=table.laps, team_colours=team_colours(info),
                      session_label=subtitle, year=info.session.year, qualifying=overview),
            ctx.style, "pdf", CHART_WIDTH, height)
        for name, kind, title, height in kinds
    }


def _segment_names(overview: QualifyingOverviewFacts) -> list[str]:
    return [segment.segment for segment in overview.segments]


def _overview_rows(overview: QualifyingOverviewFacts) -> list[list[str]]:
    names = _segment_names(overview)
    return [[str(d.finish_position or NONE), d.driver, d.team,
             *(lap_time(d.segment_best_s.get(name)) for name in names),
             seconds(d.gap_to_pole_s, signed=True), d.knocked_out_in or NONE]
            for d in overview.drivers]


def _segment_rows(overview: QualifyingOverviewFacts) -> list[list[str]]:
    return [[s.segment, s.fastest or NONE, lap_time(s.fastest_s), lap_time(s.cutoff_s),
             ", ".join(s.eliminated) or NONE] for s in overview.segments]


def _ideal_rows(overview: QualifyingOverviewFacts) -> list[list[str]]:
    return [[d.driver, lap_time(d.best_lap_s),
             *(seconds(value) for value in (d.best_sectors_s + [None] * 3)[:3]),
             lap_time(d.ideal_lap_s), seconds(d.ideal_gain_s)]
            for d in overview.drivers if d.best_lap_s is not None]


def _highlights(overview: QualifyingOverviewFacts) -> list[Highlight]:
    items = []
    if overview.pole is not None:
        items.append(Highlight("Pole", lap_time(overview.pole_time_s),
                               f"{overview.pole.driver} · {overview.pole.team}"))
    close = [d for d in overview.drivers[1:2] if d.gap_to_pole_s is not None]
    if close:
        items.append(Highlight("Second", f"+{close[0].gap_to_pole_s:.3f} s", close[0].driver))
    gains = [d for d in overview.drivers if d.ideal_gain_s is not None]
    if gains:
        most = max(gains, key=lambda d: d.ideal_gain_s or 0.0)
        items.append(Highlight("Most left on the table", f"{most.ideal_gain_s:.3f} s",
                               f"{most.driver}: best lap against best sectors"))
    return items


async def build_qualifying_report(ctx: JobContext, info: SessionInfo) -> ReportDocument:
    api = ctx.upstreams
    summary, overview, table = await asyncio.gather(
        api.analysis.summary(ctx.key, ctx.token),
        api.analysis.qualifying_overview(ctx.key, ctx.token),
        api.telemetry.laps(ctx.key, ctx.token))
    facts = overview.facts
    names = _segment_names(facts)
    rules = [[term.replace("_", " "), text] for term, text in facts.rules.items()]
    return ReportDocument(
        kind_label="Qualifying report",
        title=ctx.title or f"{info.session.year} {info.session.event_name}",
        subtitle=info.session.session_name, style=ctx.style,
        provenance=provenance(info, summary), highlights=_highlights(facts),
        insights=combined_insights([overview.insights, summary.insights]),
        charts=_charts(ctx, info, facts, table), cover_chart="gaps",
        sections=[
            Section("Classification", "Best lap per segment; the gap is to the pole lap.", [
                Table("Qualifying", ["Pos", "Driver", "Team", *names, "Gap (s)", "Out in"],
                      _overview_rows(facts),
                      numeric=(0, *range(3, 4 + len(names))))]),
            Section("Segments", "", [
                Table("Who went through", ["Segment", "Fastest", "Time", "Cut-off",
                                           "Knocked out"], _segment_rows(facts),
                      numeric=(2, 3))]),
            Section("Ideal laps", "The sum of a driver's best sectors against the best lap "
                    "actually driven.", [
                Table("Ideal lap", ["Driver", "Best lap", "S1 (s)", "S2 (s)", "S3 (s)",
                                    "Ideal", "Left (s)"], _ideal_rows(facts),
                      numeric=(1, 2, 3, 4, 5, 6))], page_break_before=True),
            Section("Runs and tyres", "", [ChartBlock("strategy")]),
            Section("Method", "", [Table("How the figures were computed", ["Term", "Rule"],
                                         rules + [["note", n] for n in facts.notes])]),
        ],
    )
