"""Server-sent events: facts first, then each grounded insight, then the narrative's label.

Facts are computed before the stream opens, so bad input still gets a problem+json answer;
the narrative (which may wait on the model) follows on the open stream.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import StreamingResponse

from pitwall_analysis.api.deps import NarratorDep, SessionKeyDep, SourceDep
from pitwall_analysis.api.routes import Driver, Lap
from pitwall_analysis.services import analyses
from pitwall_shared.auth_dependency import ActingIdentity
from pitwall_shared.problems import problem_body
from pitwall_shared.responses import dumps

router = APIRouter(prefix="/api/v1/analysis/sessions/{year}/{event}/{session}", tags=["analysis"])

AnalysisName = Literal["lap-comparison", "race-pace", "summary", "fastest-laps", "race-trace",
                       "strategy", "pace-distribution", "qualifying-overview"]


def sse_event(name: str, data: Any) -> bytes:
    return b"event: " + name.encode() + b"\ndata: " + dumps(data) + b"\n\n"


@router.get(
    "/narrative-stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}},
                     "description": "events: facts, insight (repeated), narrative, done"}},
)
async def narrative_stream(
    request: Request, key: SessionKeyDep, source: SourceDep, narrator: NarratorDep,
    identity: ActingIdentity,
    analysis: Annotated[AnalysisName, Query(description="Which analysis to narrate")],
    driver_a: Driver | None = None, driver_b: Driver | None = None,
    lap_a: Lap = "fastest", lap_b: Lap = "fastest",
    drivers: Annotated[str | None, Query(max_length=100)] = None,
) -> StreamingResponse:
    kind, session, facts = await analyses.compute(
        analysis, source, key, driver_a=driver_a, driver_b=driver_b, lap_a=lap_a,
        lap_b=lap_b, drivers=drivers)
    async def events() -> AsyncIterator[bytes]:
        yield sse_event("facts", {"kind": kind, "session": session, "facts": facts})
        try:
            narrative = await narrator.narrate(kind, session, facts, user_id=identity.user_id)
        except Exception:  # the stream is open: report in-band, never a trace
            yield sse_event("error", problem_body(
                503, "The narrative could not be written; the facts above stand.",
                instance=request.url.path, slug="narrative-unavailable"))
            return
        for insight in narrative.insights:
            yield sse_event("insight", insight.model_dump())
        yield sse_event("narrative", narrative.model_dump(exclude={"insights"}))
        yield sse_event("done", {})

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
