"""Race-weekend analysis routes: race trace, strategy, pace distribution, qualifying overview."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from pitwall_analysis.api.deps import NarratorDep, SessionKeyDep, SourceDep
from pitwall_analysis.services import race_weekend
from pitwall_shared.auth_dependency import CurrentIdentity
from pitwall_shared.contracts.analysis import (
    AnalysisKind,
    Narrative,
    PaceDistributionResponse,
    QualifyingOverviewResponse,
    RaceTraceResponse,
    StrategyResponse,
)

router = APIRouter(prefix="/api/v1/analysis/sessions/{year}/{event}/{session}", tags=["analysis"])


async def _narrative(kind: AnalysisKind, session: dict[str, Any], facts: BaseModel,
                     narrator: NarratorDep, identity: CurrentIdentity) -> Narrative:
    return await narrator.narrate(kind.value, session, facts.model_dump(mode="json"),
                                  user_id=identity.user_id)


@router.get("/race-trace", response_model=RaceTraceResponse)
async def race_trace(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: CurrentIdentity,
) -> RaceTraceResponse:
    """Position, gap to the leader and interval per driver and lap; SC/VSC/red-flag laps;
    pit laps (races and sprints)."""
    session, facts = await race_weekend.race_trace_facts(source, key)
    return RaceTraceResponse(session=session, facts=facts, insights=await _narrative(
        AnalysisKind.RACE_TRACE, session, facts, narrator, identity))


@router.get("/strategy", response_model=StrategyResponse)
async def strategy(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: CurrentIdentity,
) -> StrategyResponse:
    """Stints with degradation fits, pit stops with their cost against cars that stayed out,
    positions through each stop, undercut/overcut battles (races and sprints)."""
    session, facts = await race_weekend.strategy_facts(source, key)
    return StrategyResponse(session=session, facts=facts, insights=await _narrative(
        AnalysisKind.STRATEGY, session, facts, narrator, identity))


@router.get("/pace-distribution", response_model=PaceDistributionResponse)
async def pace_distribution(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: CurrentIdentity,
) -> PaceDistributionResponse:
    """Clean-lap quantiles per driver and team, team ranking, teammate deltas (races and
    sprints)."""
    session, facts = await race_weekend.pace_distribution_facts(source, key)
    return PaceDistributionResponse(session=session, facts=facts, insights=await _narrative(
        AnalysisKind.PACE_DISTRIBUTION, session, facts, narrator, identity))


@router.get("/qualifying-overview", response_model=QualifyingOverviewResponse)
async def qualifying_overview(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: CurrentIdentity,
) -> QualifyingOverviewResponse:
    """Gap to pole, best lap per segment and the segment each driver went out in, ideal lap
    against the actual best (qualifying and sprint qualifying)."""
    session, facts = await race_weekend.qualifying_overview_facts(source, key)
    return QualifyingOverviewResponse(session=session, facts=facts, insights=await _narrative(
        AnalysisKind.QUALIFYING_OVERVIEW, session, facts, narrator, identity))
