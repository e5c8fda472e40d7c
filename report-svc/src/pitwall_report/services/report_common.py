"""Pieces every report kind shares: formatting, provenance and the insights block."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pitwall_report.rendering.chart_data import format_lap_time
from pitwall_report.rendering.document import InsightList, Provenance
from pitwall_report.services.upstreams import SessionKey, Upstreams
from pitwall_shared.contracts.analysis import AnalysisEnvelope, Narrative
from pitwall_shared.contracts.facts import ResultFact
from pitwall_shared.contracts.telemetry import SessionInfo

DATA_SOURCE = "Formula 1 live timing via FastF1 (telemetry service snapshot)"
CHART_WIDTH = 1000
# En dash: for a missing value in a table, and between the ends of a range.
DASH = "\u2013"
NONE = DASH
MAX_RESULT_ROWS = 22


@dataclass(frozen=True)
class JobContext:
    """What a report builder gets: the job's parameters and how to reach the data."""

    key: SessionKey
    drivers: list[str]
    laps: list[str]
    style: str
    token: str
    upstreams: Upstreams
    title: str | None = None


def stamp(value: datetime | None) -> str:
    if value is None:
        return "unknown"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def result_rows(results: list[ResultFact]) -> list[list[str]]:
    """Classification rows: position, driver, team, grid, status, points."""
    rows = []
    for row in results[:MAX_RESULT_ROWS]:
        rows.append([str(row.position) if row.position is not None else NONE,
                     row.driver or "", row.team or "", number(row.grid), row.status or "",
                     number(row.points, 0)])
    return rows


def seconds(value: Any, digits: int = 3, *, signed: bool = False) -> str:
    if value is None:
        return NONE
    return f"{float(value):+.{digits}f}" if signed else f"{float(value):.{digits}f}"


def number(value: Any, digits: int = 0, unit: str = "") -> str:
    if value is None:
        return NONE
    text = f"{float(value):.{digits}f}"
    return f"{text} {unit}".strip()


def lap_time(value: Any) -> str:
    return format_lap_time(value) or NONE


def driver_name(info: SessionInfo, code: str) -> str:
    for driver in info.drivers:
        if driver.abbreviation == code:
            return driver.full_name or code
    return code


def session_title(info: SessionInfo) -> str:
    ref = info.session
    return f"{ref.year} {ref.event_name} · {ref.session_name}"


def provenance(info: SessionInfo, analysis: AnalysisEnvelope | Narrative | None) -> Provenance:
    writer = ""
    if analysis is not None:
        writer = (f"facts computed by the analysis service; narrative by "
                  f"{narrative_source(analysis)}")
    return Provenance(
        data_source=DATA_SOURCE,
        fastf1_version=info.fastf1_version,  # "" when the source did not record it
        snapshot_created_at=stamp(info.snapshot_created_at),
        generated_at=stamp(datetime.now(UTC)),
        analysis=writer,
    )


def narrative_source(analysis: AnalysisEnvelope | Narrative) -> str:
    narrative = analysis.insights if isinstance(analysis, AnalysisEnvelope) else analysis
    if narrative.source == "model":
        name = f"language model {narrative.model}" if narrative.model else "language model"
        return f"{name}, checked against the computed facts"
    return "deterministic writer (rule-based, from the computed facts)"


def insight_list(analysis: AnalysisEnvelope) -> InsightList:
    return combined_insights([analysis.insights])


def combined_insights(narratives: list[Narrative]) -> InsightList:
    """One insights block from several analyses of the same session, in the order given."""
    notes = []
    reasons = {n.fallback_reason for n in narratives
               if n.source == "deterministic" and n.fallback_reason}
    if reasons:
        notes.append(f"Why no model: {'; '.join(sorted(reasons))}.")
    dropped = sum(len(n.dropped_claims) for n in narratives)
    if dropped:
        notes.append(f"{dropped} model claim(s) were removed because "
                     "their figures matched no computed fact.")
    rules = list(dict.fromkeys(n.grounding_rule for n in narratives if n.grounding_rule))
    if rules:
        notes.append(f"Grounding: {' '.join(rules)}")
    items = [insight.text for n in narratives for insight in n.insights]
    sources = list(dict.fromkeys(narrative_source(n) for n in narratives))
    return InsightList(
        source_label="; ".join(sources),
        items=items or ["No insight was produced."],
        note=" ".join(notes),
    )
