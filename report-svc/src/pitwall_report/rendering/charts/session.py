"""Charts over a whole session's laps: lap times and tyre strategy."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from pitwall_report.rendering.chart_data import ChartData
from pitwall_report.rendering.charts.marks import (
    PLOT_RECT,
    chosen,
    compound_handles,
    outside_legend,
    shade_neutralisations,
    single_axes,
)
from pitwall_report.rendering.figure import style_axes
from pitwall_report.rendering.styles import PlotStyle
from pitwall_shared.contracts.race import StintFact

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "h")
# Laps slower than this multiple of the fastest are out-laps, in-laps or cool-down laps.
SLOW_LAP_FACTOR = 1.07


def lap_rows(table: dict[str, list[Any]]) -> list[dict[str, Any]]:
    if not table:
        return []
    names = list(table)
    return [dict(zip(names, values, strict=True)) for values in zip(*table.values(), strict=True)]


def _drivers(data: ChartData, rows: list[dict[str, Any]]) -> list[str]:
    if data.drivers:
        return data.drivers
    best: dict[str, float] = {}
    for row in rows:
        time = row.get("lap_time_s")
        if time is not None:
            best[row["driver"]] = min(best.get(row["driver"], time), time)
    seen = sorted({row["driver"] for row in rows}, key=lambda d: best.get(d, float("inf")))
    return seen


def draw_lap_times(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    rows = [r for r in lap_rows(data.lap_table) if r.get("lap_time_s") is not None
            and not r.get("deleted")]
    if not rows:
        raise ValueError("the session has no timed laps to plot")
    drivers = _drivers(data, rows)
    fastest = min(r["lap_time_s"] for r in rows if r["driver"] in drivers)
    ax = figure.add_subplot(1, 1, 1)
    figure.subplots_adjust(**PLOT_RECT)
    style_axes(ax, style)
    compounds_seen: set[str] = set()
    for index, driver in enumerate(drivers):
        marker = MARKERS[index % len(MARKERS)]
        mine = [r for r in rows if r["driver"] == driver
                and r["lap_time_s"] <= fastest * SLOW_LAP_FACTOR]
        for row in mine:
            compound = str(row.get("compound") or "UNKNOWN").upper()
            compounds_seen.add(compound)
            face, hatch = style.compound(compound, data.year)
            ax.scatter(row["lap_number"], row["lap_time_s"], s=34, marker=marker, c=face,
                       edgecolors=style.text, linewidths=0.5, hatch=hatch or None, zorder=3)
    ax.set_xlabel("Lap")
    ax.set_ylabel("Lap time (s)")
    driver_handles = [Line2D([], [], linestyle="", marker=MARKERS[i % len(MARKERS)],
                             color=style.text, markerfacecolor="none", label=d)
                      for i, d in enumerate(drivers)]
    outside_legend(ax, compound_handles(compounds_seen, style, data.year), "Compound", style,
                   1.0)
    outside_legend(ax, driver_handles[:12], "Driver", style, 0.62)


def stints_from_laps(rows: list[dict[str, Any]]) -> list[StintFact]:
    """Stints of a session without strategy facts (practice, qualifying): runs of laps on
    one set of tyres, as the lap table numbers them."""
    by_driver: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_driver[row["driver"]].append(row)
    stints = []
    for driver, laps in by_driver.items():
        laps.sort(key=lambda r: r["lap_number"])
        for number, (_, run) in enumerate(
                groupby(laps, key=lambda r: (r.get("stint"), r.get("compound"))), start=1):
            stint_laps = list(run)
            first, last = stint_laps[0]["lap_number"], stint_laps[-1]["lap_number"]
            stints.append(StintFact(driver=driver, stint=number,
                                    compound=stint_laps[0].get("compound"),
                                    first_lap=first, last_lap=last, laps=last - first + 1))
    return stints


def draw_tyre_strategy(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    strategy = data.strategy
    if strategy is not None:  # races and sprints: finishing order, pit stops, neutralisations
        drivers = [ref.driver for ref in chosen(strategy.drivers, data.drivers)]
        stints, stops, spans = strategy.stints, strategy.pit_stops, strategy.neutralisations
    else:
        rows = lap_rows(data.lap_table)
        if not rows:
            raise ValueError("the session has no laps to draw stints from")
        drivers, stints, stops, spans = _drivers(data, rows), stints_from_laps(rows), [], []
    row_of = {driver: y for y, driver in enumerate(drivers)}
    ax = single_axes(figure, style, hide_grid="y")
    neutral_handles = shade_neutralisations(ax, spans, style)
    compounds_seen: set[str] = set()
    for stint in stints:
        if stint.driver not in row_of:
            continue
        compound = str(stint.compound or "UNKNOWN").upper()
        compounds_seen.add(compound)
        face, hatch = style.compound(compound, data.year)
        y = row_of[stint.driver]
        ax.barh(y, stint.last_lap - stint.first_lap + 1, left=stint.first_lap - 0.5,
                height=0.62, color=face, edgecolor=style.text, linewidth=0.6,
                hatch=hatch or None, zorder=2)
        if stint.last_lap - stint.first_lap >= 4:
            ax.text((stint.first_lap + stint.last_lap) / 2, y, str(stint.laps), ha="center",
                    va="center", fontsize=7, color="#111111", zorder=3)
    stop_handles = []
    for stop in stops:
        if stop.driver in row_of:
            ax.plot(stop.in_lap + 0.5, row_of[stop.driver] - 0.42, marker="v", markersize=4.5,
                    color=style.text, linestyle="", zorder=4)
            stop_handles = [Line2D([], [], marker="v", linestyle="", color=style.text,
                                   label="Pit stop")]
    ax.set_yticks(range(len(drivers)), drivers)
    ax.set_ylim(len(drivers) - 0.5, -0.7)
    ax.set_xlabel("Lap")
    outside_legend(ax, compound_handles(compounds_seen, style, data.year), "Compound", style,
                   1.0)
    outside_legend(ax, stop_handles + neutral_handles, "Marks", style, 0.45)
