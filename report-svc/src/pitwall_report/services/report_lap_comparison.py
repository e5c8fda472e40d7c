"""Lap comparison report: two laps side by side, corner by corner."""

from __future__ import annotations

import asyncio
from typing import Any

from pitwall_report.rendering.chart_data import ChartData, ChartKind, RenderRequest
from pitwall_report.rendering.document import (
    ChartBlock,
    Highlight,
    ReportDocument,
    Section,
    Table,
)
from pitwall_report.services.chart_inputs import (
    corner_marks,
    driver_lap,
    lap_for_chart,
    team_colours,
)
from pitwall_report.services.report_common import (
    CHART_WIDTH,
    DASH,
    NONE,
    JobContext,
    driver_name,
    insight_list,
    lap_time,
    number,
    provenance,
    seconds,
    session_title,
)
from pitwall_shared.contracts.facts import LapComparisonFacts
from pitwall_shared.contracts.telemetry import LapTelemetry

MAX_CORNER_ROWS = 30


def _lap_rows(facts: LapComparisonFacts, telemetry: list[LapTelemetry]) -> list[list[str]]:
    rows = []
    sides = ((facts.speed.a, facts.driving.a, [s.a_s for s in facts.sectors]),
             (facts.speed.b, facts.driving.b, [s.b_s for s in facts.sectors]))
    for (speed, driving, sectors), lap in zip(sides, telemetry, strict=True):
        sector_times = [seconds(t) for t in sectors][:3]
        sector_times += [NONE] * (3 - len(sector_times))
        rows.append([
            lap.lap.driver, str(lap.lap.lap_number), lap_time(lap.lap.lap_time_s), *sector_times,
            number(speed.top_speed_kmh, 1), number(driving.full_throttle_pct, 1),
            number(driving.braking_pct, 1), (lap.lap.compound or NONE).title(),
        ])
    delta_row = ["Δ (B - A)", "", seconds(facts.lap_time_delta_s, signed=True)]
    delta_row += [seconds(s.delta_s, signed=True) for s in facts.sectors][:3]
    delta_row += [""] * (len(rows[0]) - len(delta_row))
    return [*rows, delta_row]


def _corner_rows(facts: LapComparisonFacts) -> list[list[str]]:
    rows = []
    for corner in facts.corners[:MAX_CORNER_ROWS]:
        a, b = corner.a, corner.b
        rows.append([
            corner.corner, number(corner.distance_m),
            number(a.min_speed_kmh), number(b.min_speed_kmh),
            number(a.braking_point_m_before), number(b.braking_point_m_before),
            seconds(corner.time_delta_s, signed=True), corner.gainer,
        ])
    return rows


def _won_lost_rows(facts: LapComparisonFacts) -> list[list[str]]:
    won = facts.won_and_lost
    rows = []
    for segment in [*won.a_gained, *won.b_gained]:
        rows.append([
            segment.gainer, segment.place,
            f"{number(segment.start_m)}{DASH}{number(segment.end_m)} m",
            seconds(abs(segment.time_delta_s or 0.0)),
        ])
    return rows


async def build_lap_comparison(ctx: JobContext) -> ReportDocument:
    api = ctx.upstreams
    (code_a, code_b), (lap_a, lap_b) = ctx.drivers, ctx.laps
    info, analysis, comparison, circuit, tel_a, tel_b = await asyncio.gather(
        api.telemetry.session_info(ctx.key, ctx.token),
        api.analysis.lap_comparison(ctx.key, (code_a, lap_a), (code_b, lap_b), ctx.token),
        api.telemetry.compare(ctx.key, (code_a, lap_a), (code_b, lap_b), ctx.token),
        api.telemetry.circuit(ctx.key, ctx.token),
        api.telemetry.lap_telemetry(ctx.key, code_a, lap_a, ctx.token),
        api.telemetry.lap_telemetry(ctx.key, code_b, lap_b, ctx.token),
    )
    facts = analysis.facts
    laps = [driver_lap(tel_a), driver_lap(tel_b)]
    subtitle = session_title(info)
    shared = {
        "corners": corner_marks(circuit), "team_colours": team_colours(info),
        "delta_distance": comparison.distance, "delta_s": comparison.delta_s,
        "sector_boundaries_m": comparison.sector_boundaries_m, "session_label": subtitle,
        "rotation_deg": circuit.rotation_deg,
    }

    def chart(kind: ChartKind, title: str, height: int, **extra: Any) -> RenderRequest:
        data = ChartData(kind, title, subtitle,
                         laps=[lap_for_chart(lap, kind) for lap in laps], **{**shared, **extra})
        return RenderRequest(data, ctx.style, "pdf", CHART_WIDTH, height)

    gap = facts.lap_time_delta_s
    if gap is None and tel_a.lap.lap_time_s and tel_b.lap.lap_time_s:
        gap = tel_b.lap.lap_time_s - tel_a.lap.lap_time_s
    name_a, name_b = driver_name(info, code_a), driver_name(info, code_b)
    lap_table = Table(
        "Lap and sector times",
        ["Driver", "Lap", "Lap time", "S1", "S2", "S3", "Top km/h", "Full thr. %", "Brake %",
         "Tyre"],
        _lap_rows(facts, [tel_a, tel_b]), numeric=(1, 2, 3, 4, 5, 6, 7, 8),
        caption="Δ row: B's time minus A's (positive: A quicker).",
    )
    corners = Table(
        "Corner by corner",
        ["Corner", "At (m)", f"{code_a} min km/h", f"{code_b} min km/h",
         f"{code_a} brakes (m before)", f"{code_b} brakes (m before)", "Time Δ (s)", "Quicker"],
        _corner_rows(facts), numeric=(1, 2, 3, 4, 5, 6),
        caption="Time Δ: time B lost to A through the corner zone (positive: A quicker).",
    )
    definitions = Table(
        "How the numbers are defined", ["Term", "Definition"],
        [[k.replace("_", " "), v] for k, v in facts.definitions.items()],
    )
    return ReportDocument(
        kind_label="Lap comparison",
        title=ctx.title or f"{name_a} vs {name_b}",
        subtitle=subtitle,
        style=ctx.style,
        provenance=provenance(info, analysis),
        highlights=[
            Highlight(f"{code_a} · lap {tel_a.lap.lap_number}", lap_time(tel_a.lap.lap_time_s),
                      f"{name_a}, {(tel_a.lap.compound or 'unknown tyre').title()}"),
            Highlight(f"{code_b} · lap {tel_b.lap.lap_number}", lap_time(tel_b.lap.lap_time_s),
                      f"{name_b}, {(tel_b.lap.compound or 'unknown tyre').title()}"),
            Highlight("Gap", f"{seconds(gap, signed=True)} s", f"{code_b} to {code_a}"),
        ],
        insights=insight_list(analysis),
        cover_chart="map",
        # Costliest first (drawing CPU about 80, 62, 54 and 35 ms): the charts are handed to
        # the render workers in this order, so the last one, the one that may end up on
        # the worker freed by the layout, is the shortest.
        charts={
            "speed": chart("speed-trace", f"Speed trace · {code_a} vs {code_b}", 600),
            "inputs": chart("inputs", f"Throttle and brake · {code_a} vs {code_b}", 560),
            "delta": chart("delta", f"Delta time · {code_b} to {code_a}", 440),
            "map": chart("track-map", f"Where each driver was quicker · {code_a} vs {code_b}",
                         560, colour_by="delta"),
        },
        sections=[
            Section("Lap overview", "", [lap_table]),
            Section("Speed and the running gap",
                    "Both laps on one distance axis, corner numbers along the top. The gap is "
                    f"{code_b}'s elapsed time minus {code_a}'s: rising where {code_a} gains.",
                    [ChartBlock("speed"), ChartBlock("delta")], page_break_before=True),
            Section("Driver inputs", "", [ChartBlock("inputs"), Table(
                "Where time was won and lost", ["Quicker", "Place", "Range", "Gained (s)"],
                _won_lost_rows(facts), numeric=(3,))], page_break_before=True),
            Section("Corner by corner", "", [corners], page_break_before=True),
            Section("Method", "", [definitions]),
        ],
    )
