"""Chart drawers by kind. Each takes (figure, data, style) and draws with matplotlib's OO API."""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.figure import Figure

from pitwall_report.rendering.chart_data import ChartData, ChartKind
from pitwall_report.rendering.charts.pace import draw_degradation, draw_race_pace, draw_team_pace
from pitwall_report.rendering.charts.qualifying import draw_quali_gaps
from pitwall_report.rendering.charts.race import draw_positions, draw_race_trace
from pitwall_report.rendering.charts.session import draw_lap_times, draw_tyre_strategy
from pitwall_report.rendering.charts.traces import draw_delta, draw_inputs, draw_speed_trace
from pitwall_report.rendering.charts.track_map import draw_track_map
from pitwall_report.rendering.styles import PlotStyle

Drawer = Callable[[Figure, ChartData, PlotStyle], None]

DRAWERS: dict[ChartKind, Drawer] = {
    "speed-trace": draw_speed_trace,
    "delta": draw_delta,
    "inputs": draw_inputs,
    "track-map": draw_track_map,
    "lap-times": draw_lap_times,
    "tyre-strategy": draw_tyre_strategy,
    "positions": draw_positions,
    "race-pace": draw_race_pace,
    "team-pace": draw_team_pace,
    "degradation": draw_degradation,
    "race-trace": draw_race_trace,
    "quali-gaps": draw_quali_gaps,
}
