"""Jinja2 HTML -> WeasyPrint PDF. Runs in a render worker process.

WeasyPrint fetches whatever a document names (images, stylesheets, fonts, SVG ``<image>``),
from files and the network alike. A report embeds everything it shows as ``data:`` URIs, so
``OwnAssetsOnly`` refuses every other URL: a template, chart or piece of upstream text that
names ``file:///etc/passwd`` or an internal address renders without it (WeasyPrint logs the
refusal as a warning and leaves the resource out), instead of reading or requesting it.
"""

from __future__ import annotations

import base64
import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from pitwall_report.rendering.document import ChartBlock, ReportDocument, Table
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


def svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def render_html(document: ReportDocument, charts_svg: dict[str, bytes]) -> str:
    style = get_style(document.style)
    return _environment().get_template("report.html.j2").render(
        doc=document,
        charts={name: svg_data_uri(svg) for name, svg in charts_svg.items()},
        accent=style.palette[0] if style.name != "team" else "#C8102E",
        serif=style.name == "print",
        is_table=lambda block: isinstance(block, Table),
        is_chart=lambda block: isinstance(block, ChartBlock),
    )


def render_pdf(document: ReportDocument, charts_svg: dict[str, bytes]) -> RenderedPdf:
    return html_to_pdf(render_html(document, charts_svg))


def html_to_pdf(html: str) -> RenderedPdf:
    rendered = HTML(string=html, base_url=str(TEMPLATES), url_fetcher=OwnAssetsOnly()).render(
        stylesheets=[_stylesheet()])
    buffer = io.BytesIO()
    rendered.write_pdf(buffer)
    return RenderedPdf(content=buffer.getvalue(), pages=len(rendered.pages))
