"""Jinja2 HTML -> WeasyPrint PDF. Runs in a render worker process.

WeasyPrint fetches whatever a document names (images, stylesheets, fonts, SVG ``<image>``),
from files and the network alike. A report's charts are placed after layout
(``placement``) and anything else it shows would be embedded as ``data:`` URIs, so
``OwnAssetsOnly`` refuses every other URL: a template, chart or piece of upstream text that
names ``file:///etc/passwd`` or an internal address renders without it (WeasyPrint logs the
refusal as a warning and leaves the resource out), instead of reading or requesting it.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from pitwall_report.rendering.document import ChartBlock, ReportDocument, Table
from pitwall_report.rendering.placement import LaidOutReport, find_slots, place_charts
from pitwall_report.rendering.styles import get_style

TEMPLATES = Path(__file__).resolve().parent / "templates"
log = logging.getLogger("pitwall.report.pdf")


class OwnAssetsOnly(URLFetcher):
    """Fetches ``data:`` URIs (the report's own charts) and refuses everything else."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url[:5].lower() != "data:":
            log.warning("refused to fetch %.200s while rendering a report", url)
            raise ValueError(f"report rendering fetches no external resource: {url[:200]}")
        return super().fetch(url, headers)


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    return CSS(filename=str(TEMPLATES / "report.css"), url_fetcher=OwnAssetsOnly())


@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    """One per worker process, kept across renders: a fresh one per render (WeasyPrint's
    default) starts Pango's font and shaping caches cold each time, about 20 ms of a lap
    comparison's 250 ms layout. Renders in a worker run one at a time, and the stylesheet
    declares no ``@font-face``, so nothing piles up in it."""
    return FontConfiguration()


ChartSizes = dict[str, tuple[int, int]]


def render_html(document: ReportDocument, chart_sizes: ChartSizes) -> str:
    """The report's HTML with an empty slot, of the chart's proportions, for each chart named
    in ``chart_sizes`` (name -> width and height)."""
    style = get_style(document.style)
    return _environment().get_template("report.html.j2").render(
        doc=document,
        chart_height_pct={name: 100 * height / width
                          for name, (width, height) in chart_sizes.items()},
        accent=style.palette[0] if style.name != "team" else "#C8102E",
        serif=style.name == "print",
        is_table=lambda block: isinstance(block, Table),
        is_chart=lambda block: isinstance(block, ChartBlock),
    )


def _render(html: str) -> Any:
    return HTML(string=html, base_url=str(TEMPLATES), url_fetcher=OwnAssetsOnly()).render(
        stylesheets=[_stylesheet()], font_config=_font_config())


def _write(rendered: Any) -> bytes:
    buffer = io.BytesIO()
    rendered.write_pdf(buffer)
    return buffer.getvalue()


def layout_report(document: ReportDocument, chart_sizes: ChartSizes) -> LaidOutReport:
    """The report laid out and written with its charts' slots left empty.

    Needs no chart drawing, only the charts' sizes, so it runs while the charts are drawn."""
    rendered = _render(render_html(document, chart_sizes))
    return LaidOutReport(_write(rendered), len(rendered.pages), find_slots(rendered.pages))


def finish_report(laid_out: LaidOutReport, charts_pdf: dict[str, bytes]) -> RenderedPdf:
    """The laid-out report with each chart (a one-page PDF from matplotlib) in its slot."""
    return RenderedPdf(place_charts(laid_out, charts_pdf), laid_out.pages)


def render_pdf(document: ReportDocument, charts_pdf: dict[str, bytes]) -> RenderedPdf:
    """Both steps in one process (the demo and tests; the service runs them apart)."""
    sizes = {name: (request.width, request.height) for name, request in document.charts.items()}
    return finish_report(layout_report(document, sizes), charts_pdf)


def html_to_pdf(html: str) -> RenderedPdf:
    rendered = _render(html)
    return RenderedPdf(content=_write(rendered), pages=len(rendered.pages))
