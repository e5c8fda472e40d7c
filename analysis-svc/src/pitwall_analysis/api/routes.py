"""Analysis routes: facts from our code, narrative grounded on them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from starlette.responses import Response

from pitwall_analysis.api.deps import MemoDep, NarratorDep, SessionKeyDep, SourceDep
from pitwall_analysis.services import analyses
from pitwall_analysis.services.facts_memo import Computation, memoized, response_body
from pitwall_analysis.services.telemetry_source import SessionKey
from pitwall_shared.auth_dependency import ActingIdentity
from pitwall_shared.contracts.analysis import (
    FastestLapsResponse,
    LapComparisonResponse,
    RacePaceResponse,
    SessionSummaryResponse,
)

router = APIRouter(prefix="/api/v1/analysis/sessions/{year}/{event}/{session}", tags=["analysis"])

Driver = Annotated[str, Query(min_length=2, max_length=3, pattern="^[A-Za-z]+$",
                              examples=["NOR"])]
Lap = Annotated[str, Query(max_length=10, description="Lap number or 'fastest'")]


RESPONSES: dict[str, type[BaseModel]] = {
    "lap_comparison": LapComparisonResponse, "race_pace": RacePaceResponse,
    "session_summary": SessionSummaryResponse, "fastest_laps": FastestLapsResponse,
}


def _checked(kind: str, compute: Callable[[], Awaitable[analyses.Facts]]) -> Computation:
    """Facts are checked against their typed contract when computed, so a field that drifts
    from it fails here, not in a reader; the memo then serves them as checked."""
    facts_model = RESPONSES[kind].model_fields["facts"].annotation
    assert isinstance(facts_model, type) and issubclass(facts_model, BaseModel)

    async def run() -> analyses.Facts:
        session, facts = await compute()
        facts_model.model_validate(facts)
        return session, facts
    return run


async def _respond(kind: str, key: SessionKey, params: Hashable,
                   compute: Callable[[], Awaitable[analyses.Facts]], memo: MemoDep,
                   source: SourceDep, narrator: NarratorDep,
                   identity: ActingIdentity) -> Response:
    entry = await memoized(memo, source, key, kind, params, _checked(kind, compute))
    # The acting user: the caller, or the report owner a report job works for.
    narrative = await narrator.narrate(kind, entry.session, entry.facts,
                                       user_id=identity.user_id)
    return Response(response_body(kind, entry, narrative, kind_first=True),
                    media_type="application/json")


@router.get(
    "/lap-comparison",
    summary="Compare two laps corner by corner",
    response_model=LapComparisonResponse,
)
async def lap_comparison(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
    memo: MemoDep, driver_a: Driver, driver_b: Driver, lap_a: Lap = "fastest",
    lap_b: Lap = "fastest",
) -> Response:
    """Two laps corner by corner (laps default to each driver's fastest)."""
    # Bad parameters are refused before any call to telemetry-svc.
    a, b = driver_a.upper(), driver_b.upper()
    lap_a, lap_b = analyses.lap_param(lap_a), analyses.lap_param(lap_b)
    return await _respond(
        "lap_comparison", key, (a, b, lap_a, lap_b),
        lambda: analyses.lap_comparison(source, key, a, b, lap_a, lap_b),
        memo, source, narrator, identity)


@router.get(
    "/race-pace",
    summary="Race pace: stints, degradation, fuel-corrected pace",
    response_model=RacePaceResponse,
)
async def race_pace(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
    memo: MemoDep,
    drivers: Annotated[str, Query(min_length=2, max_length=100, examples=["VER,HAM"])],
) -> Response:
    """Stints, degradation, fuel-corrected pace, consistency and pit loss for drivers."""
    names = analyses.pace_drivers([d.strip().upper() for d in drivers.split(",") if d.strip()])
    return await _respond(
        "race_pace", key, tuple(names),
        lambda: analyses.race_pace_facts(source, key, names),
        memo, source, narrator, identity)


@router.get(
    "/summary",
    summary="Session summary: results, fastest laps, tyres, weather",
    response_model=SessionSummaryResponse,
)
async def summary(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
    memo: MemoDep,
) -> Response:
    """Results and gaps, fastest laps, tyre usage, weather trend, race-control events."""
    return await _respond("session_summary", key, (),
                          lambda: analyses.summary_facts(source, key),
                          memo, source, narrator, identity)


@router.get(
    "/fastest-laps",
    summary="Each driver's fastest lap with its deltas",
    response_model=FastestLapsResponse,
)
async def fastest_laps(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
    memo: MemoDep,
) -> Response:
    """Each driver's fastest lap with lap and sector deltas to the session's fastest."""
    return await _respond("fastest_laps", key, (),
                          lambda: analyses.fastest_laps_facts(source, key),
                          memo, source, narrator, identity)
