"""Analysis routes: facts from our code, narrative grounded on them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from starlette.responses import Response

from pitwall_analysis.api.deps import NarratorDep, SessionKeyDep, SourceDep
from pitwall_analysis.services import analyses
from pitwall_shared.auth_dependency import ActingIdentity
from pitwall_shared.contracts.analysis import (
    FastestLapsResponse,
    LapComparisonResponse,
    RacePaceResponse,
    SessionSummaryResponse,
)
from pitwall_shared.responses import FastJSONResponse

router = APIRouter(prefix="/api/v1/analysis/sessions/{year}/{event}/{session}", tags=["analysis"])

Driver = Annotated[str, Query(min_length=2, max_length=3, pattern="^[A-Za-z]+$",
                              examples=["NOR"])]
Lap = Annotated[str, Query(max_length=10, description="Lap number or 'fastest'")]


RESPONSES: dict[str, type[BaseModel]] = {
    "lap_comparison": LapComparisonResponse, "race_pace": RacePaceResponse,
    "session_summary": SessionSummaryResponse, "fastest_laps": FastestLapsResponse,
}


async def _respond(kind: str, session: dict[str, Any], facts: dict[str, Any],
                   narrator: NarratorDep, identity: ActingIdentity) -> Response:
    """The facts go out as computed (the JSON readers know), checked against their typed
    contract first so a field that drifts from it fails here, not in a reader."""
    # The acting user: the caller, or the report owner a report job works for.
    narrative = await narrator.narrate(kind, session, facts, user_id=identity.user_id)
    payload = {"kind": kind, "session": session, "facts": facts,
               "insights": narrative.model_dump(mode="json")}
    RESPONSES[kind].model_validate(payload)
    return FastJSONResponse(payload)


@router.get("/lap-comparison", response_model=LapComparisonResponse)
async def lap_comparison(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
    driver_a: Driver, driver_b: Driver, lap_a: Lap = "fastest",
    lap_b: Lap = "fastest",
) -> Response:
    """Two laps corner by corner (laps default to each driver's fastest)."""
    session, facts = await analyses.lap_comparison(
        source, key, driver_a.upper(), driver_b.upper(), lap_a, lap_b)
    return await _respond("lap_comparison", session, facts, narrator, identity)


@router.get("/race-pace", response_model=RacePaceResponse)
async def race_pace(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
    drivers: Annotated[str, Query(min_length=2, max_length=100, examples=["VER,HAM"])],
) -> Response:
    """Stints, degradation, fuel-corrected pace, consistency and pit loss for drivers."""
    names = [d.strip().upper() for d in drivers.split(",") if d.strip()]
    session, facts = await analyses.race_pace_facts(source, key, names)
    return await _respond("race_pace", session, facts, narrator, identity)


@router.get("/summary", response_model=SessionSummaryResponse)
async def summary(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
) -> Response:
    """Results and gaps, fastest laps, tyre usage, weather trend, race-control events."""
    session, facts = await analyses.summary_facts(source, key)
    return await _respond("session_summary", session, facts, narrator, identity)


@router.get("/fastest-laps", response_model=FastestLapsResponse)
async def fastest_laps(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
) -> Response:
    """Each driver's fastest lap with lap and sector deltas to the session's fastest."""
    session, facts = await analyses.fastest_laps_facts(source, key)
    return await _respond("fastest_laps", session, facts, narrator, identity)
