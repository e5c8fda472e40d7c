"""Race pace charts from the pace-distribution and strategy facts: clean laps per driver,
per team, and lap time against tyre age."""

from __future__ import annotations

import math
import random
from typing import Any, cast

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from pitwall_report.rendering.chart_data import ChartData
from pitwall_report.rendering.charts.marks import (
    PLOT_RECT,
    chosen,
    compound_handles,
    lap_time_axis,
    outside_legend,
    single_axes,
)
from pitwall_report.rendering.figure import style_axes
from pitwall_report.rendering.styles import PlotStyle
from pitwall_shared.contracts.race import PaceDistributionFacts, StrategyFacts

JITTER = 0.16
MAX_DEGRADATION_PANELS = 6
DEFAULT_DEGRADATION_DRIVERS = 4


def _pace(data: ChartData) -> PaceDistributionFacts:
    if data.pace is None:
        raise ValueError("the session has no race pace facts (only races and sprints do)")
    return data.pace


def draw_race_pace(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    """A violin of each driver's clean laps, drivers in finishing order, with every lap as a
    point coloured by its compound."""
    drivers = [d for d in chosen(_pace(data).drivers, data.drivers) if len(d.lap_time_s) >= 2]
    if not drivers:
        raise ValueError("no driver has two clean laps to draw a distribution from")
    ax = single_axes(figure, style, hide_grid="x", right=0.86)
    positions = list(range(len(drivers)))
    bodies = ax.violinplot([d.lap_time_s for d in drivers], positions=positions, widths=0.8,
                           showextrema=False)
    # Seeded: the same facts always give the same picture (and the same SVG bytes).
    jitter = random.Random(0)
    compounds: set[str] = set()
    violins = cast(list[Any], bodies["bodies"])
    for x, driver, body in zip(positions, drivers, violins, strict=True):
        body.set_facecolor(style.team_fill(driver.team_colour, x))
        body.set_edgecolor(style.text)
        body.set_linewidth(0.5)
        body.set_alpha(0.45)
        for time, compound in zip(driver.lap_time_s, driver.compound or [None] * len(
                driver.lap_time_s), strict=False):
            face, hatch = style.compound(compound, data.year)
            compounds.add(str(compound or "UNKNOWN").upper())
            ax.scatter(x + jitter.uniform(-JITTER, JITTER), time, s=9, c=face,
                       edgecolors=style.text, linewidths=0.3, hatch=hatch or None, zorder=3)
        if driver.quantiles is not None:
            ax.hlines(driver.quantiles.median_s, x - 0.3, x + 0.3, color=style.text,
                      linewidth=1.2, zorder=4)
    ax.set_xticks(positions, [d.driver for d in drivers], fontsize=8)
    ax.set_xlim(-0.7, len(drivers) - 0.3)
    lap_time_axis(ax)
    ax.set_xlabel("Driver (finishing order)")
    ax.set_ylabel("Clean lap time")
    median = [Line2D([], [], color=style.text, linewidth=1.2, label="Median")]
    outside_legend(ax, compound_handles(compounds, style, data.year) + median, "Compound",
                   style, 1.0)


def draw_team_pace(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    """Each team's clean laps as a box (quartiles, whiskers to min/max), fastest first."""
    teams = sorted(_pace(data).teams, key=lambda t: t.rank)
    if not teams:
        raise ValueError("no team has clean laps to rank")
    ax = single_axes(figure, style, hide_grid="x", right=0.97, bottom=0.2)
    stats = [{"med": t.quantiles.median_s, "q1": t.quantiles.q1_s, "q3": t.quantiles.q3_s,
              "whislo": t.quantiles.min_s, "whishi": t.quantiles.max_s, "label": t.team}
             for t in teams]
    boxes = ax.bxp(stats, positions=range(len(teams)), widths=0.6, showfliers=False,
                   patch_artist=True, medianprops={"color": style.text, "linewidth": 1.4},
                   whiskerprops={"color": style.muted}, capprops={"color": style.muted})
    for index, (team, box) in enumerate(zip(teams, boxes["boxes"], strict=True)):
        box.set_facecolor(style.team_fill(team.team_colour, index))
        box.set_edgecolor(style.text)
        box.set_linewidth(0.6)
        label = "fastest" if team.gap_to_fastest_s == 0 else f"+{team.gap_to_fastest_s:.3f} s"
        ax.text(index, team.quantiles.max_s, label, ha="center", va="bottom", fontsize=7,
                color=style.text)
    ax.set_xticks(range(len(teams)), [t.team for t in teams], rotation=30, ha="right",
                  fontsize=8)
    lap_time_axis(ax)
    ax.set_ylabel("Clean lap time")


def _degradation_drivers(strategy: StrategyFacts, asked: list[str]) -> list[str]:
    with_points = {s.driver for s in strategy.stints if s.clean_lap_time_s}
    order = [ref.driver for ref in chosen(strategy.drivers, asked) if ref.driver in with_points]
    return order[:MAX_DEGRADATION_PANELS] if asked else order[:DEFAULT_DEGRADATION_DRIVERS]


def draw_degradation(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    """One panel per driver: clean lap time against tyre age, each stint's fitted slope."""
    strategy = data.strategy
    if strategy is None:
        raise ValueError("the session has no stint facts (only races and sprints do)")
    drivers = _degradation_drivers(strategy, data.drivers)
    if not drivers:
        raise ValueError("no driver has clean laps on a stint to fit")
    columns = min(3, len(drivers))
    rows = math.ceil(len(drivers) / columns)
    grid = figure.add_gridspec(rows, columns, **{**PLOT_RECT, "right": 0.84}, hspace=0.45,
                               wspace=0.18)
    compounds: set[str] = set()
    first_ax = None
    for index, driver in enumerate(drivers):
        ax = figure.add_subplot(grid[index // columns, index % columns], sharey=first_ax)
        first_ax = first_ax or ax
        style_axes(ax, style)
        ax.set_title(driver, fontsize=9, color=style.text, loc="left")
        fits = []
        for stint in (s for s in strategy.stints if s.driver == driver and s.clean_lap_time_s):
            compound = str(stint.compound or "UNKNOWN").upper()
            compounds.add(compound)
            face, hatch = style.compound(compound, data.year)
            ax.scatter(stint.clean_tyre_age, stint.clean_lap_time_s, s=12, c=face,
                       edgecolors=style.text, linewidths=0.3, hatch=hatch or None, zorder=3)
            slope, intercept = stint.degradation_s_per_lap, stint.degradation_intercept_s
            if slope is None or intercept is None:
                continue
            ages = [min(stint.clean_tyre_age), max(stint.clean_tyre_age)]
            ax.plot(ages, [intercept + slope * age for age in ages], color=style.text,
                    linewidth=1.1, zorder=4)
            fits.append(f"stint {stint.stint}: {slope:+.3f} s/lap")
        # The slopes listed in the corner rather than beside each line, where points crowd.
        ax.text(0.98, 0.96, "\n".join(fits), transform=ax.transAxes, ha="right", va="top",
                fontsize=6.5, color=style.text, zorder=6)
        if index // columns == rows - 1:
            ax.set_xlabel("Tyre age (laps)")
        if index % columns == 0:
            ax.set_ylabel("Clean lap time")
            lap_time_axis(ax)
        else:
            ax.tick_params(labelleft=False)
    fit = [Line2D([], [], color=style.text, linewidth=1.1, label="Fitted slope")]
    if first_ax is not None:
        outside_legend(figure.axes[columns - 1], compound_handles(compounds, style, data.year)
                       + fit, "Compound", style, 1.0)
