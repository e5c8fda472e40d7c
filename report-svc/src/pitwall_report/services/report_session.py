"""Race pace and session summary reports; the summary of a race or a qualifying session
is built by ``report_race`` or ``report_qualifying``."""

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
    DASH,
    NONE,
    JobContext,
    insight_list,
    lap_time,
    number,
    provenance,
    result_rows,
    seconds,
    session_title,
)
from pitwall_report.services.report_qualifying import build_qualifying_report
from pitwall_report.services.report_race import build_race_report
from pitwall_shared.contracts.facts import RacePaceFacts
from pitwall_shared.contracts.race import RaceTraceFacts
from pitwall_shared.contracts.telemetry import LapTable, SessionInfo
from pitwall_shared.problem_types import QUALIFYING_SESSION_CODES, RACE_SESSION_CODES


def _charts(ctx: JobContext, info: SessionInfo, table: LapTable, drivers: list[str],
            trace: RaceTraceFacts | None = None) -> dict[str, RenderRequest]:
    subtitle = session_title(info)
    kinds: list[tuple[str, ChartKind, str, int]] = [
        ("lap_times", "lap-times", "Lap times by compound", 560),
        ("strategy", "tyre-strategy", "Tyre strategy", 120 + 34 * max(len(drivers), 4)),
    ]
    if trace is not None:
        kinds.append(("positions", "positions", "Race positions", 560))
    # A scatter of more than eight drivers is unreadable; the strategy bars take everyone.
    shown = {"lap-times": drivers[:8]}
    return {
        name: RenderRequest(
            ChartData(kind, title, subtitle, lap_table=table.laps,
                      drivers=shown.get(kind, drivers),
                      team_colours=team_colours(info), session_label=subtitle,
                      year=info.session.year, race_trace=trace),
            ctx.style, "pdf", CHART_WIDTH, height)
        for name, kind, title, height in kinds
    }


def _stint_rows(facts: RacePaceFacts) -> list[list[str]]:
    rows = []
    for driver, pace in facts.drivers.items():
        for stint in pace.stints:
            rows.append([
                driver, str(stint.stint), (stint.compound or NONE).title(),
                f"{stint.first_lap}{DASH}{stint.last_lap}",
                str(stint.clean_laps), seconds(stint.median_clean_lap_s),
                seconds(stint.degradation_s_per_lap, signed=True),
                seconds(stint.fuel_corrected_degradation_s_per_lap, signed=True),
            ])
    return rows


def _pace_rows(facts: RacePaceFacts) -> list[list[str]]:
    rows = []
    for driver, pace in facts.drivers.items():
        losses = [s.time_loss_s for s in pace.pit_stops if s.time_loss_s is not None]
        rows.append([
            driver, str(pace.clean_laps), seconds(pace.median_clean_lap_s),
            seconds(pace.fuel_corrected_mean_s), seconds(pace.std_s),
            str(len(pace.pit_stops)), seconds(sum(losses) / len(losses)) if losses else NONE,
        ])
    return rows


async def build_race_pace(ctx: JobContext) -> ReportDocument:
    api = ctx.upstreams
    info, analysis, table, trace = await asyncio.gather(
        api.telemetry.session_info(ctx.key, ctx.token),
        api.analysis.race_pace(ctx.key, ctx.drivers, ctx.token),
        api.telemetry.laps(ctx.key, ctx.token),
        api.analysis.race_trace(ctx.key, ctx.token),
    )
    facts = analysis.facts
    highlights = [
        Highlight(f"{driver} median clean lap", lap_time(pace.median_clean_lap_s),
                  f"{pace.clean_laps} clean laps")
        for driver, pace in list(facts.drivers.items())[:3]
    ]
    return ReportDocument(
        kind_label="Race pace",
        title=ctx.title or f"Race pace · {', '.join(ctx.drivers)}",
        subtitle=session_title(info), style=ctx.style, provenance=provenance(info, analysis),
        highlights=highlights, insights=insight_list(analysis),
        charts=_charts(ctx, info, table, ctx.drivers, trace.facts), cover_chart="lap_times",
        sections=[
            Section("Pace", "Clean laps only (see Method).", [
                Table("Pace per driver", ["Driver", "Clean laps", "Median (s)",
                                          "Fuel-corrected (s)", "Std dev (s)", "Stops",
                                          "Mean pit loss (s)"],
                      _pace_rows(facts), numeric=(1, 2, 3, 4, 5, 6))]),
            Section("Stints and degradation", "", [
                Table("Stints", ["Driver", "Stint", "Tyre", "Laps", "Clean", "Median (s)",
                                 "Deg. (s/lap)", "Fuel-corr. deg."],
                      _stint_rows(facts), numeric=(1, 4, 5, 6, 7)),
                ChartBlock("strategy"), ChartBlock("positions")], page_break_before=True),
            Section("Method", "", [Table("Rules", ["Term", "Definition"], [
                [k.replace("_", " "), v] for k, v in facts.rules.items()])]),
        ],
    )


async def build_session_summary(ctx: JobContext) -> ReportDocument:
    """The report fits the session: a race or sprint, a qualifying, or a practice session."""
    info = await ctx.upstreams.telemetry.session_info(ctx.key, ctx.token)
    if info.session.session in RACE_SESSION_CODES:
        return await build_race_report(ctx, info)
    if info.session.session in QUALIFYING_SESSION_CODES:
        return await build_qualifying_report(ctx, info)
    return await _practice_summary(ctx, info)


async def _practice_summary(ctx: JobContext, info: SessionInfo) -> ReportDocument:
    api = ctx.upstreams
    analysis, table = await asyncio.gather(
        api.analysis.summary(ctx.key, ctx.token),
        api.telemetry.laps(ctx.key, ctx.token),
    )
    facts = analysis.facts
    fastest = facts.fastest_laps
    drivers = ctx.drivers or [row.driver for row in facts.results if row.driver]
    results_columns = ["Pos", "Driver", "Team", "Grid", "Status", "Points"]
    highlights = [Highlight("Fastest lap", lap_time(fastest[0].lap_time_s),
                            f"{fastest[0].driver} · lap {fastest[0].lap_number}")
                  ] if fastest else []
    track = facts.weather.track_temp_c
    if track is not None:
        highlights.append(Highlight("Track temperature", f"{number(track.start, 1)} °C",
                                    f"range {number(track.min, 1)}{DASH}"
                                    f"{number(track.max, 1)} °C"))
    return ReportDocument(
        kind_label="Session summary",
        title=ctx.title or f"{info.session.year} {info.session.event_name}",
        subtitle=info.session.session_name, style=ctx.style,
        provenance=provenance(info, analysis), highlights=highlights,
        insights=insight_list(analysis), charts=_charts(ctx, info, table, drivers),
        cover_chart="lap_times",
        sections=[
            Section("Results", "", [Table("Classification", results_columns,
                                          result_rows(facts.results),
                                          numeric=(0, 3, 5))]),
            Section("Fastest laps", "", [
                Table("Fastest lap per driver", ["Driver", "Lap", "Time", "Gap (s)", "Tyre"],
                      [[r.driver, str(r.lap_number), lap_time(r.lap_time_s),
                        seconds(r.gap_to_fastest_s, signed=True),
                        (r.compound or NONE).title()] for r in fastest],
                      numeric=(1, 2, 3))], page_break_before=True),
            Section("Tyres", "", [ChartBlock("strategy")]),
            Section("Race control", "", [Table(
                "Notable messages", ["Lap", "Category", "Message"],
                [[number(e.lap), e.category or "", e.message] for e in facts.race_control]
                or [[NONE, NONE, "No notable messages."]])]),
        ],
    )
