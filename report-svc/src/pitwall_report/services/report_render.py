"""A report's PDF from its document: charts drawn while the pages are laid out.

The layout needs only each chart's size, so one worker lays the report out (WeasyPrint)
while the others draw the charts (matplotlib, as one-page PDFs); the charts are then placed
into the laid-out pages (``rendering.placement``). On two workers the PDF costs about the
longer of the two halves instead of their sum.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from dataclasses import replace
from typing import TypeVar

from pitwall_report.rendering.document import ReportDocument
from pitwall_report.rendering.pdf import layout_report
from pitwall_report.rendering.placement import LaidOutReport
from pitwall_report.rendering.renderer import render_chart
from pitwall_report.services.render_pool import RenderPool

T = TypeVar("T")


async def draw_and_lay_out(pool: RenderPool, document: ReportDocument, *, timeout: float
                           ) -> tuple[LaidOutReport, dict[str, bytes]]:
    """The laid-out report and its charts, drawn in parallel across the render workers."""
    sizes = {name: (request.width, request.height) for name, request in document.charts.items()}
    # The layout goes first: it is the longest single task. It is sent without the charts'
    # data (the laps' channels), which only the chart tasks need.
    layout = asyncio.ensure_future(
        pool.run(layout_report, replace(document, charts={}), sizes, timeout=timeout))
    try:
        drawn = await asyncio.gather(*(pool.run(render_chart, request, timeout=timeout)
                                       for request in document.charts.values()))
    except BaseException:
        layout.cancel()  # the report fails with the chart's error; stop waiting for its pages
        raise
    return await layout, dict(zip(document.charts, drawn, strict=True))


async def beside(work: Awaitable[T], side: Awaitable[object]) -> T:
    """``work``'s result, with ``side`` (a stage's progress write) run meanwhile and waited
    for too, so its error (the job was taken over) still stops the run. When ``work`` fails,
    ``side`` is cancelled and ``work``'s error is the one raised."""
    running = asyncio.ensure_future(side)
    try:
        result = await work
    except BaseException:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await running
        raise
    await running
    return result
