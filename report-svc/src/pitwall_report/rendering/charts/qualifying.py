"""Qualifying overview: every driver's gap to pole, where each segment cut the field, and
how far the best lap was from the driver's ideal lap (best sectors)."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from pitwall_report.rendering.chart_data import ChartData, format_lap_time
from pitwall_report.rendering.charts.marks import outside_legend, single_axes
from pitwall_report.rendering.styles import PlotStyle
from pitwall_shared.contracts.race import QualifyingDriver, QualifyingOverviewFacts

# Knocked out earlier: a stronger band behind the bars.
KNOCKOUT_ALPHA = {0: 0.16, 1: 0.08}


def _facts(data: ChartData) -> QualifyingOverviewFacts:
    if data.qualifying is None or not data.qualifying.drivers:
        raise ValueError("the session has no qualifying overview (only Q, SQ and SS do)")
    return data.qualifying


def _knockout_bands(ax, facts: QualifyingOverviewFacts, drivers: list[QualifyingDriver],  # type: ignore[no-untyped-def]
                    style: PlotStyle) -> list[Patch]:
    """Shade the rows of the drivers each segment eliminated, and draw the cut-off line."""
    handles = []
    for order, segment in enumerate(s for s in facts.segments if s.eliminated):
        rows = [y for y, d in enumerate(drivers) if d.knocked_out_in == segment.segment]
        if not rows:
            continue
        alpha = KNOCKOUT_ALPHA.get(order, 0.05)
        ax.axhspan(min(rows) - 0.5, max(rows) + 0.5, color=style.muted, alpha=alpha,
                   linewidth=0, zorder=0)
        ax.axhline(min(rows) - 0.5, color=style.text, linewidth=0.8, linestyle="--", zorder=1)
        ax.text(1.0, min(rows) - 0.45, f"{segment.segment} cut-off ", ha="right", va="top",
                transform=ax.get_yaxis_transform(), fontsize=7, color=style.muted)
        handles.append(Patch(facecolor=style.muted, alpha=alpha * 2.5,
                             label=f"Out in {segment.segment}"))
    return handles


def draw_quali_gaps(figure: Figure, data: ChartData, style: PlotStyle) -> None:
    facts = _facts(data)
    drivers = [d for d in facts.drivers if d.gap_to_pole_s is not None]
    if data.drivers:
        drivers = [d for d in drivers if d.driver in set(data.drivers)]
    if not drivers:
        raise ValueError("no driver set a timed lap")
    ax = single_axes(figure, style, hide_grid="y", left=0.08)
    bands = _knockout_bands(ax, facts, drivers, style)
    widest = max(d.gap_to_pole_s or 0.0 for d in drivers)
    ideal_marked = False
    for y, driver in enumerate(drivers):
        gap = driver.gap_to_pole_s or 0.0
        ax.barh(y, gap, height=0.66, color=style.team_fill(driver.team_colour, y),
                edgecolor=style.text, linewidth=0.5, zorder=2)
        label = format_lap_time(driver.best_lap_s) if gap == 0 else f"+{gap:.3f}"
        ax.text(gap + widest * 0.01, y, label, va="center", fontsize=7, color=style.text,
                zorder=4)
        if driver.ideal_lap_s is not None and facts.pole_time_s is not None:
            ax.plot(driver.ideal_lap_s - facts.pole_time_s, y, marker="D", markersize=4,
                    color=style.text, markerfacecolor=style.panel, linestyle="", zorder=5)
            ideal_marked = True
    ax.set_yticks(range(len(drivers)), [d.driver for d in drivers], fontsize=8)
    ax.set_ylim(len(drivers) - 0.5, -0.5)
    ax.axvline(0, color=style.text, linewidth=0.8)
    ax.set_xlim(min(0.0, *(((d.ideal_lap_s or 0) - (facts.pole_time_s or 0))
                          for d in drivers if d.ideal_lap_s)) - widest * 0.02, widest * 1.18)
    ax.set_xlabel("Gap to pole (s)")
    ideal = [Line2D([], [], marker="D", linestyle="", color=style.text,
                    markerfacecolor=style.panel, label="Ideal lap (best sectors)")]
    outside_legend(ax, bands + (ideal if ideal_marked else []), "Marks", style, 1.0)
