"""Jinja2 HTML -> WeasyPrint PDF. Runs in a render worker process."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from weasyprint import CSS, HTML

from pitwall_report.rendering.document import ChartBlock, ReportDocument, Table
from pitwall_report.rendering.styles import get_style

TEMPLATES = Path(__file__).resolve().parent / "templates"


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
    return CSS(filename=str(TEMPLATES / "report.css"))


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
    html = render_html(document, charts_svg)
    rendered = HTML(string=html, base_url=str(TEMPLATES)).render(stylesheets=[_stylesheet()])
    buffer = io.BytesIO()
    rendered.write_pdf(buffer)
    return RenderedPdf(content=buffer.getvalue(), pages=len(rendered.pages))
