"""Charts over a whole session's lap table: lap times, tyre strategy, race positions."""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from pitwall_report.rendering.chart_data import ChartData
from pitwall_report.rendering.figure import add_legend, style_axes
from pitwall_report.rendering.styles import COMPOUND_ORDER, PlotStyle

PLOT_RECT = {"left": 0.075, "right": 0.8, "top": 0.83, "bottom": 0.1}
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


def _outside_legend(ax, handles: list[Any], title: str, style: PlotStyle, top: float) -> None:  # type: ignore[no-untyped-def]
    legend = ax.legend(handles=handles, title=title, loc="upper left",
                       bbox_to_anchor=(1.02, top), fontsize=8, title_fontsize=8.5,
                       frameon=False, labelcolor=style.text)
    legend.get_title().set_color(style.text)
    ax.add_artist(legend)


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
    compound_handles = [Patch(facecolor=style.compound(c, data.year)[0], edgecolor=style.text,
                              hatch=style.compound(c, data.year)[1] or None, label=c.title())
                        for c in (*COMPOUND_ORDER, "UNKNOWN") if c in compounds_seen]
    _outside_legend(ax, compound_handles, "Compound", style, 1.0)
    _outside_legend(ax, driver_handles[:12], "Driver", style, 0.62)


def draw_tyre_strategy(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    rows = lap_rows(data.lap_table)
    if not rows:
        raise ValueError("the session has no laps to draw stints from")
    drivers = _drivers(data, rows)
    by_driver: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_driver[row["driver"]].append(row)
    ax = figure.add_subplot(1, 1, 1)
    figure.subplots_adjust(**PLOT_RECT)
    style_axes(ax, style)
    ax.grid(False, axis="y")
    compounds_seen: set[str] = set()
    for y, driver in enumerate(drivers):
        laps = sorted(by_driver.get(driver, []), key=lambda r: r["lap_number"])
        for _, stint in groupby(laps, key=lambda r: (r.get("stint"), r.get("compound"))):
            stint_laps = list(stint)
            compound = str(stint_laps[0].get("compound") or "UNKNOWN").upper()
            compounds_seen.add(compound)
            face, hatch = style.compound(compound, data.year)
            first, last = stint_laps[0]["lap_number"], stint_laps[-1]["lap_number"]
            ax.barh(y, last - first + 1, left=first - 0.5, height=0.62, color=face,
                    edgecolor=style.text, linewidth=0.6, hatch=hatch or None)
            if last - first >= 4:
                ax.text((first + last) / 2, y, str(last - first + 1), ha="center",
                        va="center", fontsize=7, color="#111111")
    ax.set_yticks(range(len(drivers)), drivers)
    ax.invert_yaxis()
    ax.set_xlabel("Lap")
    handles = [Patch(facecolor=style.compound(c, data.year)[0], edgecolor=style.text,
                     hatch=style.compound(c, data.year)[1] or None, label=c.title())
               for c in (*COMPOUND_ORDER, "UNKNOWN") if c in compounds_seen]
    _outside_legend(ax, handles, "Compound", style, 1.0)


def draw_positions(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    rows = [r for r in lap_rows(data.lap_table) if r.get("position") is not None]
    if not rows:
        raise ValueError("the session has no lap-by-lap positions (only races and sprints do)")
    drivers = _drivers(data, rows)
    ax = figure.add_subplot(1, 1, 1)
    figure.subplots_adjust(**{**PLOT_RECT, "right": 0.9})
    style_axes(ax, style)
    lines = style.driver_lines(drivers, data.team_colours)
    for driver, line in zip(drivers, lines, strict=True):
        laps = sorted((r for r in rows if r["driver"] == driver), key=lambda r: r["lap_number"])
        if not laps:
            continue
        xs = [r["lap_number"] for r in laps]
        ys = [r["position"] for r in laps]
        ax.plot(xs, ys, color=line.colour, linestyle=line.dash, linewidth=line.width,
                label=driver)
        ax.text(xs[-1] + 0.6, ys[-1], driver, fontsize=7.5, va="center", color=line.colour)
    max_position = max(int(r["position"]) for r in rows)
    ax.set_ylim(max_position + 0.5, 0.5)
    ax.set_yticks(range(1, max_position + 1))
    ax.set_xlabel("Lap")
    ax.set_ylabel("Position")
    if len(drivers) <= 6:
        add_legend(ax, style, loc="lower left", ncol=len(drivers))
