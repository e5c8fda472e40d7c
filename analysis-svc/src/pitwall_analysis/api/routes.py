"""Analysis routes: facts from our code, narrative grounded on them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from pitwall_analysis.api.deps import NarratorDep, SessionKeyDep, SourceDep
from pitwall_analysis.services import analyses
from pitwall_shared.auth_dependency import ActingIdentity
from pitwall_shared.contracts.analysis import AnalysisResponse

router = APIRouter(prefix="/api/v1/analysis/sessions/{year}/{event}/{session}", tags=["analysis"])

Driver = Annotated[str, Query(min_length=2, max_length=3, pattern="^[A-Za-z]+$",
                              examples=["NOR"])]
Lap = Annotated[str, Query(max_length=10, description="Lap number or 'fastest'")]


async def _respond(kind: str, session: dict[str, Any], facts: dict[str, Any],
                   narrator: NarratorDep, identity: ActingIdentity) -> AnalysisResponse:
    # The acting user: the caller, or the report owner a report job works for.
    narrative = await narrator.narrate(kind, session, facts, user_id=identity.user_id)
    return AnalysisResponse.model_validate(
        {"kind": kind, "session": session, "facts": facts, "insights": narrative})


@router.get("/lap-comparison", response_model=AnalysisResponse)
async def lap_comparison(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
    driver_a: Driver, driver_b: Driver, lap_a: Lap = "fastest",
    lap_b: Lap = "fastest",
) -> AnalysisResponse:
    """Two laps corner by corner (laps default to each driver's fastest)."""
    session, facts = await analyses.lap_comparison(
        source, key, driver_a.upper(), driver_b.upper(), lap_a, lap_b)
    return await _respond("lap_comparison", session, facts, narrator, identity)


@router.get("/race-pace", response_model=AnalysisResponse)
async def race_pace(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
    drivers: Annotated[str, Query(min_length=2, max_length=100, examples=["VER,HAM"])],
) -> AnalysisResponse:
    """Stints, degradation, fuel-corrected pace, consistency and pit loss for drivers."""
    names = [d.strip().upper() for d in drivers.split(",") if d.strip()]
    session, facts = await analyses.race_pace_facts(source, key, names)
    return await _respond("race_pace", session, facts, narrator, identity)


@router.get("/summary", response_model=AnalysisResponse)
async def summary(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
) -> AnalysisResponse:
    """Results and gaps, fastest laps, tyre usage, weather trend, race-control events."""
    session, facts = await analyses.summary_facts(source, key)
    return await _respond("session_summary", session, facts, narrator, identity)


@router.get("/fastest-laps", response_model=AnalysisResponse)
async def fastest_laps(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
) -> AnalysisResponse:
    """Each driver's fastest lap with lap and sector deltas to the session's fastest."""
    session, facts = await analyses.fastest_laps_facts(source, key)
    return await _respond("fastest_laps", session, facts, narrator, identity)
