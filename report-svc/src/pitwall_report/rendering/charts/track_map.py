"""Track map from a lap's position samples, coloured by speed, gear or who gained time."""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.collections import LineCollection
from matplotlib.colors import BoundaryNorm, ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from pitwall_report.rendering.chart_data import ChartData, DriverLap
from pitwall_report.rendering.styles import PlotStyle

MINI_SECTORS = 25
SPEED_MAPS = {"light": "viridis", "dark": "plasma", "print": "Greys", "team": "viridis"}


def _rotate(x: np.ndarray, y: np.ndarray, degrees: float) -> tuple[np.ndarray, np.ndarray]:
    angle = np.deg2rad(degrees)
    return x * np.cos(angle) - y * np.sin(angle), x * np.sin(angle) + y * np.cos(angle)


def _samples(lap: DriverLap, channel: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """distance, x, y and the channel for samples where all four are present."""
    columns = [lap.channels.get(name, []) for name in ("distance", "x", "y", channel)]
    rows = [r for r in zip(*columns, strict=False) if all(v is not None for v in r)]
    if len(rows) < 2:
        raise ValueError(f"{lap.driver}'s lap has no position samples to draw a track map")
    array = np.asarray(rows, dtype=float)
    return array[:, 0], array[:, 1], array[:, 2], array[:, 3]


def _segments(x: np.ndarray, y: np.ndarray) -> list[np.ndarray]:
    points = np.column_stack([x, y]).reshape(-1, 1, 2)
    return list(np.concatenate([points[:-1], points[1:]], axis=1))


def _runs(x: np.ndarray, y: np.ndarray, flags: np.ndarray
          ) -> tuple[list[np.ndarray], list[bool]]:
    """The lap as one polyline per run of equally flagged segments (segment i joins samples
    i and i + 1). A few dozen paths instead of one per segment: the PDF renderer parses every
    SVG path on its own, and a run looks the same as its segments drawn end to end."""
    if len(flags) == 0:
        return [], []
    starts = np.flatnonzero(np.r_[True, flags[1:] != flags[:-1]])
    ends = np.r_[starts[1:], len(flags)]
    points = np.column_stack([x, y])
    return ([points[start:end + 1] for start, end in zip(starts, ends, strict=True)],
            [bool(flags[start]) for start in starts])


def draw_track_map(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    ax = figure.add_axes((0.02, 0.04, 0.8, 0.82))
    ax.set_facecolor(style.background)
    ax.set_axis_off()
    ax.set_aspect("equal")
    lap = data.laps[0]
    channel = "gear" if data.colour_by == "gear" else "speed"
    distance, x, y, values = _samples(lap, channel)
    x, y = _rotate(x, y, data.rotation_deg)
    # A wide, pale underlay gives the coloured line a kerb to sit on.
    ax.plot(x, y, color=style.grid, linewidth=9, solid_capstyle="round", zorder=1)
    colour_bar_ax = figure.add_axes((0.86, 0.12, 0.025, 0.66))
    if data.colour_by == "delta":
        _colour_by_gain(ax, data, style, distance, x, y)
        colour_bar_ax.set_axis_off()
    elif data.colour_by == "gear":
        if style.greyscale_compounds:
            gears = ListedColormap(colormaps["Greys"](np.linspace(0.25, 1.0, 8)))
        else:
            gears = ListedColormap(colormaps["tab10"](np.arange(8)))
        line = LineCollection(_segments(x, y), cmap=gears,
                              norm=BoundaryNorm(np.arange(0.5, 9.5, 1.0), gears.N),
                              linewidth=4, zorder=2)
        line.set_array(values[:-1])
        ax.add_collection(line)
        bar = figure.colorbar(line, cax=colour_bar_ax, ticks=np.arange(1, 9))
        bar.set_label("Gear", color=style.text)
        _style_bar(bar, style)
    else:
        norm = Normalize(float(values.min()), float(values.max()))
        line = LineCollection(_segments(x, y), cmap=SPEED_MAPS[style.name], norm=norm,
                              linewidth=4, zorder=2)
        line.set_array(values[:-1])
        ax.add_collection(line)
        bar = figure.colorbar(line, cax=colour_bar_ax)
        bar.set_label("Speed (km/h)", color=style.text)
        _style_bar(bar, style)
    _label_corners(ax, data, style, x, y)
    ax.autoscale_view()
    ax.margins(0.06)


def _style_bar(bar, style: PlotStyle) -> None:  # type: ignore[no-untyped-def]
    bar.ax.tick_params(colors=style.muted, labelcolor=style.text, labelsize=8)
    bar.outline.set_edgecolor(style.muted)


def _colour_by_gain(ax, data: ChartData, style: PlotStyle, distance: np.ndarray,  # type: ignore[no-untyped-def]
                    x: np.ndarray, y: np.ndarray) -> None:
    """Split the lap into equal mini-sectors; each takes the colour of whoever was quicker."""
    if len(data.laps) < 2 or len(data.delta_s) < 2:
        raise ValueError("colour_by=delta needs two laps")
    pair = style.contrasting_pair([lap.driver for lap in data.laps[:2]], data.team_colours)
    grid = np.asarray(data.delta_distance, dtype=float)
    delta = np.asarray(data.delta_s, dtype=float)
    edges = np.linspace(0.0, float(grid[-1]), MINI_SECTORS + 1)
    gained = np.diff(np.interp(edges, grid, delta))  # > 0: B lost time, so A was quicker
    scaled = distance * (grid[-1] / distance[-1])
    sector_of_sample = np.clip(np.searchsorted(edges, scaled, side="right") - 1, 0,
                               MINI_SECTORS - 1)
    quicker_a = gained[sector_of_sample[:-1]] > 0
    runs, colours = _runs(x, y, quicker_a)
    ax.add_collection(LineCollection(runs, colors=[pair[0] if a else pair[1] for a in colours],
                                     linewidth=4.5, zorder=2))
    handles = [Line2D([], [], color=pair[i], linewidth=4,
                      label=f"{data.laps[i].driver} quicker") for i in (0, 1)]
    legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0),
                       fontsize=8.5, frameon=False, labelcolor=style.text)
    legend.set_zorder(5)


def _label_corners(ax, data: ChartData, style: PlotStyle, x: np.ndarray, y: np.ndarray) -> None:  # type: ignore[no-untyped-def]
    if not data.corners:
        return
    cx, cy = _rotate(np.array([c.x for c in data.corners]), np.array([c.y for c in data.corners]),
                     data.rotation_deg)
    centre = np.array([x.mean(), y.mean()])
    span = max(float(np.ptp(x)), float(np.ptp(y)), 1.0)
    for corner, px, py in zip(data.corners, cx, cy, strict=True):
        outward = np.array([px, py]) - centre
        outward = outward / (np.linalg.norm(outward) or 1.0)
        lx, ly = np.array([px, py]) + outward * span * 0.045
        ax.text(lx, ly, corner.label.removeprefix("T"), fontsize=7, ha="center", va="center",
                color=style.text, zorder=4,
                bbox={"boxstyle": "circle,pad=0.18", "fc": style.panel, "ec": style.muted,
                      "lw": 0.6})
