"""Entry points that run inside render worker processes (CPU-bound, never on the event loop).

Inputs and outputs are plain picklable values so they cross the process boundary cheaply.
"""

from __future__ import annotations

import os

from pitwall_report.rendering.chart_data import RenderRequest
from pitwall_report.rendering.charts import DRAWERS
from pitwall_report.rendering.figure import (
    add_title,
    configure_matplotlib,
    figure_bytes,
    new_figure,
)
from pitwall_report.rendering.styles import get_style


class ChartDataError(ValueError):
    """The data cannot make this chart (e.g. positions for a qualifying session)."""


# Rendering is batch work: under CPU contention the API process should win. Niceness also
# weighs the workers against every other process on the host: at 10 a worker has a ninth of
# the CPU weight of a nice-0 neighbour (110 to 1024), at 5 a third (335). 2 (655) still
# kept /healthz within its bound while 4 reports rendered, and a report no longer waits
# behind every busy neighbour (bench/README.md, report-svc section).
WORKER_NICENESS = 2


def init_worker() -> None:
    """Process-pool initializer: global matplotlib settings, set before any drawing."""
    if os.nice(0) < WORKER_NICENESS:
        os.nice(WORKER_NICENESS - os.nice(0))
    configure_matplotlib()


def render_chart(request: RenderRequest) -> bytes:
    style = get_style(request.style)
    figure = new_figure(style, request.width, request.height)
    try:
        DRAWERS[request.data.kind](figure, request.data, style)
    except (ValueError, KeyError, IndexError) as exc:
        raise ChartDataError(str(exc)) from exc
    add_title(figure, style, request.data.title, request.data.subtitle)
    return figure_bytes(figure, request.fmt)


def render_charts(requests: list[RenderRequest]) -> list[bytes]:
    """Several charts in one worker call (a report's figures), saving a round trip each."""
    return [render_chart(request) for request in requests]
