"""Charts along lap distance: speed trace, delta time, throttle and brake."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from pitwall_report.rendering.chart_data import ChartData, DriverLap
from pitwall_report.rendering.figure import (
    add_legend,
    finite_pairs,
    mark_corners,
    style_axes,
)
from pitwall_report.rendering.styles import LineStyle, PlotStyle

PLOT_RECT = {"left": 0.065, "right": 0.985, "top": 0.83, "bottom": 0.1}


def driver_lines(data: ChartData, style: PlotStyle) -> list[LineStyle]:
    return style.driver_lines([lap.driver for lap in data.laps], data.team_colours)


def _plot_channel(ax, lap: DriverLap, channel: str, line: LineStyle, label: str | None) -> None:  # type: ignore[no-untyped-def]
    xs, ys = finite_pairs(lap.channels.get("distance", []), lap.channels.get(channel, []))
    ax.plot(xs, ys, color=line.colour, linestyle=line.dash, linewidth=line.width, label=label)


def _lap_length(data: ChartData) -> float:
    ends = [max((d for d in lap.channels.get("distance", []) if d is not None), default=0.0)
            for lap in data.laps]
    return max([*ends, *(data.delta_distance[-1:] or [0.0])])


def draw_speed_trace(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    with_delta = len(data.laps) == 2 and len(data.delta_s) > 1
    grid = figure.add_gridspec(
        2 if with_delta else 1, 1, height_ratios=[3, 1] if with_delta else [1], hspace=0.08,
        **PLOT_RECT,
    )
    ax = figure.add_subplot(grid[0])
    style_axes(ax, style)
    for lap, line in zip(data.laps, driver_lines(data, style), strict=True):
        _plot_channel(ax, lap, "speed", line, lap.label)
    mark_corners(ax, data.corners, style, labels=True)
    ax.set_ylabel("Speed (km/h)")
    ax.set_xlim(0, _lap_length(data))
    add_legend(ax, style, loc="lower right", ncol=min(len(data.laps), 4))
    if with_delta:
        ax.tick_params(labelbottom=False)
        delta_ax = figure.add_subplot(grid[1], sharex=ax)
        _draw_delta_axes(delta_ax, data, style, labels=False)
    else:
        ax.set_xlabel("Distance (m)")


def _draw_delta_axes(ax, data: ChartData, style: PlotStyle, *, labels: bool) -> None:  # type: ignore[no-untyped-def]
    style_axes(ax, style)
    pair = style.contrasting_pair([lap.driver for lap in data.laps[:2]], data.team_colours)
    distance = np.asarray(data.delta_distance, dtype=float)
    delta = np.asarray(data.delta_s, dtype=float)
    a, b = data.laps[0], data.laps[1]
    # Above zero B is behind: A's area; below zero B is ahead: B's area.
    ax.fill_between(distance, delta, 0, where=delta >= 0, color=pair[0], alpha=0.28,
                    linewidth=0, label=f"{a.driver} ahead", interpolate=True)
    ax.fill_between(distance, delta, 0, where=delta < 0, color=pair[1], alpha=0.28,
                    linewidth=0, label=f"{b.driver} ahead", interpolate=True,
                    hatch="//" if style.greyscale_compounds else None)
    ax.plot(distance, delta, color=style.text, linewidth=1.1)
    ax.axhline(0, color=style.muted, linewidth=0.8)
    for boundary in data.sector_boundaries_m:
        ax.axvline(boundary, color=style.muted, linewidth=0.9, linestyle="--")
    mark_corners(ax, data.corners, style, labels=labels)
    ax.set_xlabel("Distance (m)")
    ax.set_ylabel(f"Gap {b.driver} to {a.driver} (s)")
    ax.set_xlim(0, _lap_length(data))
    if len(delta):
        ax.annotate(
            f"{delta[-1]:+.3f} s", xy=(distance[-1], delta[-1]), xytext=(-4, 6),
            textcoords="offset points", ha="right", fontsize=8.5, color=style.text,
            fontweight="bold",
        )
    add_legend(ax, style, loc="upper left", ncol=2)


def draw_delta(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    ax = figure.add_subplot(1, 1, 1)
    figure.subplots_adjust(**PLOT_RECT)
    _draw_delta_axes(ax, data, style, labels=True)


def _step_ends(xs: list[float], values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Only the first and last sample of each run of equal values.

    Drawn as mid-steps, a run's inner samples add vertices but no step: an on/off brake
    channel keeps a few dozen of its ~800 samples, and the picture is the same. The PDF
    renderer parses every vertex of an SVG path on its own, and fills are not simplified."""
    x = np.asarray(xs, dtype=float)
    if values.size < 3:
        return x, values
    changes = values[1:] != values[:-1]
    keep = np.r_[True, changes] | np.r_[changes, True]
    return x[keep], values[keep]


def draw_inputs(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    grid = figure.add_gridspec(2, 1, height_ratios=[2.2, 1], hspace=0.12, **PLOT_RECT)
    throttle_ax = figure.add_subplot(grid[0])
    brake_ax = figure.add_subplot(grid[1], sharex=throttle_ax)
    lines = driver_lines(data, style)
    count = len(data.laps)
    for index, (lap, line) in enumerate(zip(data.laps, lines, strict=True)):
        _plot_channel(throttle_ax, lap, "throttle", line, lap.label)
        xs, ys = finite_pairs(lap.channels.get("distance", []), lap.channels.get("brake", []))
        values = np.asarray(ys, dtype=float)
        if values.size and np.nanmax(values) <= 1.0:
            values = values * 100.0  # on/off brake shown on the same 0-100 scale as pressure
        steps_x, values = _step_ends(xs, values)
        # Each driver gets a band so on/off brake traces do not hide one another.
        band_low = 100.0 * index / count
        band = band_low + values * (0.9 / count)
        brake_ax.fill_between(steps_x, band_low, band, step="mid", color=line.colour, alpha=0.55,
                              linewidth=0, label=lap.driver)
        brake_ax.plot(steps_x, band, color=line.colour, linestyle=line.dash, linewidth=0.8,
                      drawstyle="steps-mid")
    for ax in (throttle_ax, brake_ax):
        style_axes(ax, style)
        mark_corners(ax, data.corners, style, labels=ax is throttle_ax)
    throttle_ax.set_ylabel("Throttle (%)")
    throttle_ax.set_ylim(-3, 105)
    throttle_ax.set_xlim(0, _lap_length(data))
    throttle_ax.tick_params(labelbottom=False)
    add_legend(throttle_ax, style, loc="lower right", ncol=min(count, 4))
    brake_ax.set_ylabel("Brake")
    brake_ax.set_yticks([100.0 * (i + 0.45) / count for i in range(count)],
                        [lap.driver for lap in data.laps])
    brake_ax.set_ylim(0, 100)
    brake_ax.set_xlabel("Distance (m)")
