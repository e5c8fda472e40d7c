"""Lap-by-lap race charts from the race-trace facts: gap to the leader, and positions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from pitwall_report.rendering.chart_data import ChartData
from pitwall_report.rendering.charts.marks import (
    outside_legend,
    shade_neutralisations,
    single_axes,
    team_colour_map,
    top_legend,
)
from pitwall_report.rendering.styles import LineStyle, PlotStyle
from pitwall_shared.contracts.race import RaceTraceFacts

# Lapped cars fall minutes behind; the scale follows the cars on the lead lap.
GAP_AXIS_QUANTILE = 0.98
BACKGROUND_WIDTH = 0.8


@dataclass(frozen=True)
class DriverSeries:
    driver: str
    laps: list[int]
    positions: list[int | None]
    gaps: list[float | None]
    laps_down: list[int]


def _series(facts: RaceTraceFacts) -> dict[str, DriverSeries]:
    columns = facts.trace
    rows: dict[str, list[int]] = defaultdict(list)
    for index, driver in enumerate(columns.driver):
        rows[driver].append(index)
    out = {}
    for driver, indices in rows.items():
        indices.sort(key=lambda i: columns.lap_number[i])
        out[driver] = DriverSeries(
            driver, [columns.lap_number[i] for i in indices],
            [columns.position[i] for i in indices],
            [columns.gap_to_leader_s[i] for i in indices],
            [columns.laps_down[i] for i in indices])
    return out


def _race_facts(data: ChartData) -> RaceTraceFacts:
    if data.race_trace is None or not data.race_trace.trace.driver:
        raise ValueError("the session has no lap-by-lap race trace (only races and sprints do)")
    return data.race_trace


def _lines(data: ChartData, facts: RaceTraceFacts, style: PlotStyle) -> dict[str, LineStyle]:
    """Chosen drivers (all when none are) in their colours; the rest thin and grey."""
    order = [ref.driver for ref in facts.drivers]
    coloured = style.race_lines(order, team_colour_map(facts.drivers, data.team_colours))
    highlight = set(data.drivers) or set(order)
    background = LineStyle(style.grid if style.name != "dark" else style.muted, "-",
                           BACKGROUND_WIDTH)
    return {driver: line if driver in highlight else background
            for driver, line in zip(order, coloured, strict=True)}


@dataclass(frozen=True)
class RaceAxes:
    """What both lap-by-lap race charts start from."""

    facts: RaceTraceFacts
    series: dict[str, DriverSeries]
    lines: dict[str, LineStyle]
    highlight: set[str]
    ax: Axes
    neutral: list[Patch]

    def drawing_order(self) -> list[tuple[DriverSeries, LineStyle, bool]]:
        """(series, line, highlighted) per driver, grey ones first so the chosen are on top."""
        return [(self.series[d], self.lines[d], d in self.highlight)
                for d in sorted(self.series, key=lambda d: d in self.highlight)
                if d in self.lines]


def _race_axes(figure: Figure, data: ChartData, style: PlotStyle, right: float) -> RaceAxes:
    facts = _race_facts(data)
    lines = _lines(data, facts, style)
    ax = single_axes(figure, style, right=right)
    neutral = shade_neutralisations(ax, facts.neutralisations, style)
    return RaceAxes(facts, _series(facts), lines, set(data.drivers) or set(lines), ax, neutral)


def _pit_marks(race: RaceAxes, value: str) -> bool:
    """A dot on each chosen driver's line at their in-laps; whether any was drawn."""
    marked = False
    for ref in race.facts.drivers:
        line, own = race.lines.get(ref.driver), race.series.get(ref.driver)
        if line is None or own is None or ref.driver not in race.highlight:
            continue
        at = dict(zip(own.laps, own.gaps if value == "gap" else own.positions, strict=True))
        points = [(lap, at[lap]) for lap in ref.pit_laps if at.get(lap) is not None]
        if points:
            xs, ys = zip(*points, strict=True)
            race.ax.plot(xs, ys, linestyle="", marker="o", markersize=4,
                         markerfacecolor=line.colour, markeredgecolor="white",
                         markeredgewidth=0.6, zorder=5)
            marked = True
    return marked


def draw_race_trace(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    race = _race_axes(figure, data, style, right=0.78)
    facts, ax = race.facts, race.ax
    for own, line, chosen in race.drawing_order():
        ax.plot(own.laps, [np.nan if g is None else g for g in own.gaps], color=line.colour,
                linestyle=line.dash, linewidth=line.width, zorder=3 if chosen else 2,
                label=own.driver if chosen else None)
    marked = _pit_marks(race, "gap")
    lead_lap = [g for own in race.series.values() for g, down in zip(own.gaps, own.laps_down,
                                                                 strict=True)
                if g is not None and down == 0]
    top = float(np.quantile(lead_lap, GAP_AXIS_QUANTILE)) if lead_lap else 60.0
    ax.set_ylim(top * 1.05 + 1, -max(1.0, top * 0.02))
    ax.set_xlim(0.5, facts.total_laps + 0.5)
    ax.set_xlabel("Lap")
    ax.set_ylabel("Gap to leader (s)")
    driver_handles = [Line2D([], [], color=race.lines[d].colour, linestyle=race.lines[d].dash,
                             linewidth=race.lines[d].width, label=d)
                      for d in (ref.driver for ref in facts.drivers) if d in race.highlight]
    outside_legend(ax, driver_handles, "Driver", style, 1.0)
    extra = [Line2D([], [], linestyle="", marker="o", color=style.muted, label="Pit stop")]
    outside_legend(ax, race.neutral + (extra if marked else []), "Marks", style, 0.22)


def draw_positions(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    race = _race_axes(figure, data, style, right=0.84)
    facts, ax = race.facts, race.ax
    for own, line, chosen in race.drawing_order():
        points = [(lap, p) for lap, p in zip(own.laps, own.positions, strict=True)
                  if p is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        ax.plot(xs, ys, color=line.colour, linestyle=line.dash, linewidth=line.width,
                zorder=3 if chosen else 2)
        ax.text(xs[-1] + 0.6, ys[-1], own.driver, fontsize=7.5, va="center",
                color=line.colour if chosen else style.muted)
    marked = _pit_marks(race, "position")
    max_position = max((p for p in facts.trace.position if p is not None), default=20)
    ax.set_ylim(max_position + 0.5, 0.5)
    ax.set_yticks(range(1, max_position + 1))
    ax.set_xlim(0.5, facts.total_laps + 0.5)
    ax.set_xlabel("Lap")
    ax.set_ylabel("Position")
    extra = [Line2D([], [], linestyle="", marker="o", color=style.muted, label="Pit stop")]
    top_legend(ax, race.neutral + (extra if marked else []), style)
