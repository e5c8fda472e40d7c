"""The shape of a report before it becomes a PDF: plain data the template lays out.

Report builders (in ``services``) fill it from upstream answers; the render worker draws
the charts it names and hands everything to the Jinja2 template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pitwall_report.rendering.chart_data import RenderRequest


@dataclass(frozen=True)
class Highlight:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    caption: str = ""
    # Columns (by index) aligned right: numbers line up on the decimal point.
    numeric: tuple[int, ...] = ()


@dataclass(frozen=True)
class ChartBlock:
    name: str
    caption: str = ""


@dataclass(frozen=True)
class Section:
    heading: str
    intro: str = ""
    blocks: list[Table | ChartBlock] = field(default_factory=list)
    page_break_before: bool = False


@dataclass(frozen=True)
class InsightList:
    source_label: str
    items: list[str]
    note: str = ""


@dataclass(frozen=True)
class Provenance:
    data_source: str
    fastf1_version: str
    snapshot_created_at: str
    generated_at: str
    analysis: str = ""


@dataclass(frozen=True)
class ReportDocument:
    kind_label: str
    title: str
    subtitle: str
    style: str
    provenance: Provenance
    highlights: list[Highlight] = field(default_factory=list)
    insights: InsightList | None = None
    sections: list[Section] = field(default_factory=list)
    charts: dict[str, RenderRequest] = field(default_factory=dict)
    cover_chart: str | None = None
    language: Literal["en"] = "en"
