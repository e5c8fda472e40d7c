"""Charts on request: resolve the style, fetch the data, draw in a worker process."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from pitwall_report.rendering.chart_data import ImageFormat, RenderRequest
from pitwall_report.rendering.renderer import render_chart
from pitwall_report.services.chart_inputs import ChartQuery, build_chart_data
from pitwall_report.services.render_pool import RenderPool
from pitwall_report.services.upstreams import AuthApi, Upstreams
from pitwall_shared.problems import ProblemError
from pitwall_shared.tokens import Identity

log = logging.getLogger("pitwall.report.charts")
DEFAULT_STYLE = "light"


@dataclass(frozen=True)
class ChosenStyle:
    name: str
    source: str  # "request", "preference" or "default"


async def choose_style(requested: str | None, identity: Identity, auth: AuthApi) -> ChosenStyle:
    """The style asked for, else the user's saved preference, else the default.

    Preferences are a nicety: when auth-svc cannot answer, the chart is still drawn.
    """
    if requested:
        return ChosenStyle(requested, "request")
    if identity.role == "service":
        return ChosenStyle(DEFAULT_STYLE, "default")
    try:
        preferences = await auth.preferences(identity.token)
    except ProblemError as exc:
        log.warning("plot style preference unavailable (%s); using %s", exc.detail, DEFAULT_STYLE)
        return ChosenStyle(DEFAULT_STYLE, "default")
    return ChosenStyle(preferences.plot_style, "preference")


@dataclass(frozen=True)
class RenderedChart:
    content: bytes
    media_type: str
    style: ChosenStyle


MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


async def draw_chart(
    query: ChartQuery, *, fmt: ImageFormat, width: int, height: int, style: ChosenStyle,
    identity: Identity, upstreams: Upstreams, pool: RenderPool, timeout: float,
) -> RenderedChart:
    data = await build_chart_data(upstreams.telemetry, upstreams.analysis, query,
                                  identity.token)
    request = RenderRequest(data=data, style=style.name, fmt=fmt, width=width, height=height)
    content = await pool.run(render_chart, request, timeout=timeout)
    return RenderedChart(content, MEDIA_TYPES[fmt], style)
