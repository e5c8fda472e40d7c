"""What analysis-svc answers: facts computed by our code plus a narrative grounded on them."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from pitwall_shared.contracts.facts import (
    FastestLapsFacts,
    LapComparisonFacts,
    RacePaceFacts,
    SessionSummaryFacts,
)
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
    """Any analysis with its facts untyped: for readers that need only the narrative or
    read facts generically. Typed readers use the per-kind responses below."""

    kind: AnalysisKind
    session: dict[str, Any]
    facts: dict[str, Any]
    insights: Narrative


class AnalysisEnvelope(BaseModel):
    """What every per-kind response has besides its ``kind`` and typed ``facts``."""

    session: dict[str, Any]
    insights: Narrative


class LapComparisonResponse(AnalysisEnvelope):
    kind: Literal["lap_comparison"] = "lap_comparison"
    facts: LapComparisonFacts


class RacePaceResponse(AnalysisEnvelope):
    kind: Literal["race_pace"] = "race_pace"
    facts: RacePaceFacts


class SessionSummaryResponse(AnalysisEnvelope):
    kind: Literal["session_summary"] = "session_summary"
    facts: SessionSummaryFacts


class FastestLapsResponse(AnalysisEnvelope):
    kind: Literal["fastest_laps"] = "fastest_laps"
    facts: FastestLapsFacts


class RaceTraceResponse(AnalysisEnvelope):
    kind: Literal["race_trace"] = "race_trace"
    facts: RaceTraceFacts


class StrategyResponse(AnalysisEnvelope):
    kind: Literal["strategy"] = "strategy"
    facts: StrategyFacts


class PaceDistributionResponse(AnalysisEnvelope):
    kind: Literal["pace_distribution"] = "pace_distribution"
    facts: PaceDistributionFacts


class QualifyingOverviewResponse(AnalysisEnvelope):
    kind: Literal["qualifying_overview"] = "qualifying_overview"
    facts: QualifyingOverviewFacts


TypedAnalysisResponse = Annotated[
    LapComparisonResponse | RacePaceResponse | SessionSummaryResponse | FastestLapsResponse
    | RaceTraceResponse | StrategyResponse | PaceDistributionResponse
    | QualifyingOverviewResponse,
    Field(discriminator="kind"),
]
"""Every analysis response, told apart by ``kind`` (``TypeAdapter(TypedAnalysisResponse)``)."""
