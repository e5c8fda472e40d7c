"""Figure plumbing shared by every chart: OO matplotlib only (no pyplot global state)."""

from __future__ import annotations

import io
import math
from typing import Any

import matplotlib

matplotlib.use("Agg")
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from pitwall_report.rendering.chart_data import CornerMark, RenderFormat
from pitwall_report.rendering.styles import PlotStyle

DPI = 100


def configure_matplotlib() -> None:
    """Process-wide settings, applied once when a render worker starts.

    Text stays text in SVG (smaller files) and output is reproducible: fixed ids and no
    creation date. A report's charts are PDF with Type 3 fonts: vector glyphs with a Unicode
    map, so the labels stay text a reader can search and copy; TrueType embedding (Type 42)
    would subset the font with fontTools, about 0.15 s more per chart.
    """
    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["pdf.fonttype"] = 3
    matplotlib.rcParams["svg.hashsalt"] = "pitwall"
    matplotlib.rcParams["path.simplify"] = True


def new_figure(style: PlotStyle, width: int, height: int) -> Figure:
    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor=style.background)
    FigureCanvasAgg(figure)
    return figure


METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None},
    "png": {"Software": "pitwall"},
    "pdf": {"CreationDate": None, "Creator": "pitwall"},
}


def figure_bytes(figure: Figure, fmt: RenderFormat) -> bytes:
    buffer = io.BytesIO()
    metadata = METADATA[fmt]
    figure.savefig(
        buffer, format=fmt, dpi=DPI, facecolor=figure.get_facecolor(), metadata=metadata
    )
    return buffer.getvalue()


def style_axes(ax: Axes, style: PlotStyle, *, grid: bool = True) -> None:
    ax.set_facecolor(style.panel)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(style.muted)
    ax.tick_params(colors=style.muted, labelsize=8.5, labelcolor=style.text)
    ax.xaxis.label.set_color(style.text)
    ax.yaxis.label.set_color(style.text)
    ax.xaxis.label.set_fontsize(9)
    ax.yaxis.label.set_fontsize(9)
    if grid:
        ax.grid(True, color=style.grid, linewidth=0.6)
        ax.set_axisbelow(True)


def add_title(figure: Figure, style: PlotStyle, title: str, subtitle: str) -> None:
    figure.text(
        0.012, 0.975, title, ha="left", va="top", fontsize=12.5, fontweight="bold",
        color=style.text, family=style.font_family,
    )
    if subtitle:
        figure.text(
            0.012, 0.925, subtitle, ha="left", va="top", fontsize=9, color=style.muted,
            family=style.font_family,
        )


def add_legend(ax: Axes, style: PlotStyle, *, loc: Any = "best", ncol: int = 1) -> None:
    legend = ax.legend(
        loc=loc, fontsize=8.5, frameon=True, ncol=ncol, facecolor=style.panel,
        edgecolor=style.grid, labelcolor=style.text,
    )
    legend.get_frame().set_alpha(0.9)


def mark_corners(ax: Axes, corners: list[CornerMark], style: PlotStyle, *, labels: bool) -> None:
    """Dotted verticals at each corner, labelled along the top of the axes.

    All verticals are one line broken by NaNs: one SVG path instead of a path and a group per
    corner, which both matplotlib and the PDF renderer handle faster (dashes restart at each
    piece, so it looks the same)."""
    transform = ax.get_xaxis_transform()
    if corners:
        xs = [value for corner in corners for value in (corner.distance_m,) * 2 + (math.nan,)]
        ys = [value for _ in corners for value in (0.0, 1.0, math.nan)]
        ax.add_line(Line2D(xs, ys, transform=transform, color=style.muted, linewidth=0.6,
                           linestyle=":", zorder=1))
    if labels:
        for corner in corners:
            ax.text(
                corner.distance_m, 1.005, corner.label, transform=transform, ha="center",
                va="bottom", fontsize=6.5, color=style.muted, clip_on=False,
            )


def finite_pairs(
    xs: list[float | None], ys: list[float | None]
) -> tuple[list[float], list[float]]:
    """Drop samples where either coordinate is missing (null in the contract)."""
    pairs = [(x, y) for x, y in zip(xs, ys, strict=False) if x is not None and y is not None]
    return [p[0] for p in pairs], [p[1] for p in pairs]
