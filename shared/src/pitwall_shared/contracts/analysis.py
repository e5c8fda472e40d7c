"""What analysis-svc answers: facts computed by our code plus a narrative grounded on them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


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
