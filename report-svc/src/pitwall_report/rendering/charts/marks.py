"""Pieces the whole-session charts share, so they agree on order, colours and shading."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from pitwall_report.rendering.figure import style_axes
from pitwall_report.rendering.styles import COMPOUND_ORDER, PlotStyle
from pitwall_shared.contracts.race import DriverRef, Neutralisation

# Room on the right for legends outside the axes.
PLOT_RECT = {"left": 0.085, "right": 0.8, "top": 0.83, "bottom": 0.1}
Ref = TypeVar("Ref", bound=DriverRef)
NEUTRALISATION_LABELS = {"SC": "Safety car", "VSC": "Virtual safety car", "RED": "Red flag"}


def single_axes(figure: Figure, style: PlotStyle, *, hide_grid: str | None = None,
                **rect: float) -> Axes:
    """One styled axes filling the plot area (``rect`` overrides PLOT_RECT's edges);
    ``hide_grid`` ("x" or "y") drops the grid lines a bar or category axis does not need."""
    ax = figure.add_subplot(1, 1, 1)
    figure.subplots_adjust(**{**PLOT_RECT, **rect})
    style_axes(ax, style)
    if hide_grid:
        ax.grid(False, axis=hide_grid)  # type: ignore[arg-type]
    return ax


def outside_legend(ax: Axes, handles: list[Any], title: str, style: PlotStyle,
                   top: float) -> None:
    """A legend to the right of the axes; several can stack (each kept as an artist)."""
    if not handles:
        return
    legend = ax.legend(handles=handles, title=title, loc="upper left",
                       bbox_to_anchor=(1.02, top), fontsize=8, title_fontsize=8.5,
                       frameon=False, labelcolor=style.text)
    legend.get_title().set_color(style.text)
    ax.add_artist(legend)


def compound_handles(compounds: Iterable[str], style: PlotStyle, year: int) -> list[Patch]:
    seen = {str(c).upper() for c in compounds}
    return [Patch(facecolor=style.compound(c, year)[0], edgecolor=style.text,
                  hatch=style.compound(c, year)[1] or None, label=c.title())
            for c in (*COMPOUND_ORDER, "UNKNOWN") if c in seen]


def shade_neutralisations(ax: Axes, spans: Sequence[Neutralisation],
                          style: PlotStyle) -> list[Patch]:
    """Shade SC/VSC/red-flag lap ranges behind the data; returns legend handles."""
    kinds: dict[str, Patch] = {}
    for span in spans:
        colour = style.neutralisation(span.kind)
        ax.axvspan(span.first_lap - 0.5, span.last_lap + 0.5, color=colour,
                   alpha=0.16 if style.name == "dark" else 0.28,
                   linewidth=0, zorder=0)
        ax.text((span.first_lap + span.last_lap) / 2, 1.005, span.kind,
                transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=7,
                color=style.muted, clip_on=False)
        kinds.setdefault(span.kind, Patch(facecolor=colour, alpha=0.5,
                                          label=NEUTRALISATION_LABELS[span.kind]))
    return list(kinds.values())


def chosen(refs: Sequence[Ref], drivers: Sequence[str]) -> list[Ref]:
    """The drivers asked for, kept in the facts' order (finishing order); all if none."""
    if not drivers:
        return list(refs)
    wanted = set(drivers)
    return [ref for ref in refs if ref.driver in wanted]


def team_colour_map(refs: Iterable[DriverRef], fallback: dict[str, str]) -> dict[str, str]:
    colours = dict(fallback)
    colours.update({ref.driver: ref.team_colour for ref in refs if ref.team_colour})
    return colours


def _tick_lap_time(value: float, _: object) -> str:
    minutes, rest = divmod(float(value), 60.0)
    return f"{int(minutes)}:{rest:04.1f}" if minutes else f"{rest:.1f}"


def lap_time_axis(ax: Axes) -> None:
    """Tick labels as m:ss.s (a race lap is read that way, not as 103.4 s)."""
    ax.yaxis.set_major_formatter(FuncFormatter(_tick_lap_time))


def top_legend(ax: Axes, handles: list[Any], style: PlotStyle) -> None:
    """A one-row legend above the axes' top right, clear of labels drawn beside the lines."""
    if handles:
        ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.04),
                  ncol=len(handles), fontsize=8, frameon=False, labelcolor=style.text)
