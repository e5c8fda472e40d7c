"""What analysis-svc answers: facts computed by our code plus a narrative grounded on them."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from pitwall_shared.contracts.race import (
    PaceDistributionFacts,
    QualifyingOverviewFacts,
    RaceTraceFacts,
    StrategyFacts,
)


class AnalysisKind(StrEnum):
    """Every analysis analysis-svc computes; the value is the response's ``kind``."""

    LAP_COMPARISON = "lap_comparison"
    RACE_PACE = "race_pace"
    SESSION_SUMMARY = "session_summary"
    FASTEST_LAPS = "fastest_laps"
    RACE_TRACE = "race_trace"
    STRATEGY = "strategy"
    PACE_DISTRIBUTION = "pace_distribution"
    QUALIFYING_OVERVIEW = "qualifying_overview"


class Insight(BaseModel):
    text: str
    figures: list[float] = Field(default_factory=list, description="Numbers the text cites")
    fact_refs: list[str] = Field(default_factory=list, description="Paths of the facts used")


class Narrative(BaseModel):
    source: Literal["model", "deterministic"]
    model: str | None = Field(None, description="Model name when source is 'model'")
    insights: list[Insight]
    dropped_claims: list[str] = Field(
        default_factory=list, description="Model claims removed because a figure matched no fact"
    )
    prompt_version: str = ""
    cached: bool = False
    fallback_reason: str | None = Field(
        None, description="Why the deterministic writer wrote it (no key, timeout, limit...)"
    )
    grounding_rule: str = Field("", description="How cited figures were matched to facts")


class AnalysisResponse(BaseModel):
    kind: Literal["lap_comparison", "race_pace", "session_summary", "fastest_laps"]
    session: dict[str, Any]
    facts: dict[str, Any]
    insights: Narrative


class RaceTraceResponse(BaseModel):
    kind: Literal["race_trace"] = "race_trace"
    session: dict[str, Any]
    facts: RaceTraceFacts
    insights: Narrative


class StrategyResponse(BaseModel):
    kind: Literal["strategy"] = "strategy"
    session: dict[str, Any]
    facts: StrategyFacts
    insights: Narrative


class PaceDistributionResponse(BaseModel):
    kind: Literal["pace_distribution"] = "pace_distribution"
    session: dict[str, Any]
    facts: PaceDistributionFacts
    insights: Narrative


class QualifyingOverviewResponse(BaseModel):
    kind: Literal["qualifying_overview"] = "qualifying_overview"
    session: dict[str, Any]
    facts: QualifyingOverviewFacts
    insights: Narrative
