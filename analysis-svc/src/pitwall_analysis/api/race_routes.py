"""Race-weekend analysis routes: race trace, strategy, pace distribution, qualifying overview."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query
from pydantic import BaseModel
from starlette.responses import Response

from pitwall_analysis.api.deps import MemoDep, NarratorDep, SessionKeyDep, SourceDep
from pitwall_analysis.services import race_weekend, tables
from pitwall_analysis.services.facts_memo import MemoEntry, memoized, response_body
from pitwall_analysis.services.telemetry_source import SessionKey
from pitwall_shared.auth_dependency import ActingIdentity
from pitwall_shared.contracts.analysis import (
    AnalysisKind,
    PaceDistributionResponse,
    QualifyingOverviewResponse,
    RaceTraceResponse,
    StrategyResponse,
)
from pitwall_shared.contracts.race import (
    PaceDistributionFacts,
    QualifyingOverviewFacts,
    RaceTraceFacts,
    StrategyFacts,
)
from pitwall_shared.exports import (
    ExportFormat,
    TableNames,
    columns_to_csv,
    csv_response,
    export_filename,
    to_fastf1,
)
from pitwall_shared.responses import dumps

router = APIRouter(prefix="/api/v1/analysis/sessions/{year}/{event}/{session}", tags=["analysis"])

Format = Annotated[ExportFormat, Query(
    description="json: the analysis (or, with names=fastf1 or table, its table as columnar "
    "JSON); csv: the table as a CSV download")]
Names = Annotated[TableNames, Query(description="Column names of the table: pitwall's or "
                                    "FastF1's (with FastF1's units: times as Timedelta)")]
Typed = TypeVar("Typed", bound=BaseModel)
TABLE_DOC: dict[int | str, dict[str, Any]] = {200: {
    "content": {"text/csv": {}},
    "description": "The analysis; or its table as {session, count, rows} JSON or CSV (see "
    "format, names, table)"}}


def _wants_table(format: ExportFormat, names: TableNames, table: str | None) -> bool:
    return format == "csv" or names == "fastf1" or table is not None


def _table_response(key: SessionKey, session: dict[str, Any], name: str,
                    table: tuple[tables.Columns, tables.Mapping], format: ExportFormat,
                    names: TableNames) -> Response:
    columns, mapping = table
    out = to_fastf1(columns, mapping) if names == "fastf1" else columns
    if format == "csv":
        return csv_response(columns_to_csv(out), export_filename(
            key.year, key.event, key.session, name))
    count = len(next(iter(columns.values()), []))
    return Response(dumps({"session": session, "count": count, "rows": out}),
                    media_type="application/json")


async def _facts(name: str, key: SessionKey, memo: MemoDep,
                 source: SourceDep) -> MemoEntry:
    return await memoized(memo, source, key, name, (),
                          lambda: race_weekend.FACTS[name](source, key))


async def _analysis(kind: AnalysisKind, entry: MemoEntry, narrator: NarratorDep,
                    identity: ActingIdentity) -> Response:
    # The acting user: the caller, or the report owner a report job works for.
    narrative = await narrator.narrate(kind.value, entry.session, entry.facts,
                                       user_id=identity.user_id)
    return Response(response_body(kind.value, entry, narrative, kind_first=False),
                    media_type="application/json")


def _typed(entry: MemoEntry, model: type[Typed]) -> Typed:
    assert isinstance(entry.typed, model)
    return entry.typed


@router.get(
    "/race-trace",
    summary="Race trace: gaps, intervals and positions per lap",
    response_model=RaceTraceResponse, responses=TABLE_DOC,
)
async def race_trace(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
    memo: MemoDep, format: Format = "json", names: Names = "pitwall",
) -> Response:
    """Position, gap to the leader and interval per driver and lap; SC/VSC/red-flag laps;
    pit laps (races and sprints). Table: the trace."""
    entry = await _facts("race-trace", key, memo, source)
    if _wants_table(format, names, None):
        return _table_response(key, entry.session, "race-trace", tables.race_trace_table(
            _typed(entry, RaceTraceFacts)), format, names)
    return await _analysis(AnalysisKind.RACE_TRACE, entry, narrator, identity)


@router.get(
    "/strategy",
    summary="Strategy: stints, degradation and pit-stop costs",
    response_model=StrategyResponse, responses=TABLE_DOC,
)
async def strategy(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
    memo: MemoDep, format: Format = "json", names: Names = "pitwall",
    table: tables.StrategyTable | None = None,
) -> Response:
    """Stints with degradation fits, pit stops with their cost against cars that stayed out,
    positions through each stop, undercut/overcut battles (races and sprints). Tables:
    stints (default), pit-stops."""
    entry = await _facts("strategy", key, memo, source)
    if _wants_table(format, names, table):
        name = table or "stints"
        return _table_response(key, entry.session, f"strategy-{name}", tables.strategy_table(
            _typed(entry, StrategyFacts), name), format, names)
    return await _analysis(AnalysisKind.STRATEGY, entry, narrator, identity)


@router.get(
    "/pace-distribution",
    summary="Pace distribution per driver and team",
    response_model=PaceDistributionResponse, responses=TABLE_DOC,
)
async def pace_distribution(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
    memo: MemoDep, format: Format = "json", names: Names = "pitwall",
    table: tables.PaceTable | None = None,
) -> Response:
    """Clean-lap quantiles per driver and team, team ranking, teammate deltas (races and
    sprints). Tables: drivers (default), teams, laps (every clean lap)."""
    entry = await _facts("pace-distribution", key, memo, source)
    if _wants_table(format, names, table):
        name = table or "drivers"
        return _table_response(key, entry.session, f"pace-{name}", tables.pace_table(
            _typed(entry, PaceDistributionFacts), name), format, names)
    return await _analysis(AnalysisKind.PACE_DISTRIBUTION, entry, narrator, identity)


@router.get(
    "/qualifying-overview",
    summary="Qualifying overview: gap to pole, segments, ideal laps",
    response_model=QualifyingOverviewResponse, responses=TABLE_DOC,
)
async def qualifying_overview(
    key: SessionKeyDep, source: SourceDep, narrator: NarratorDep, identity: ActingIdentity,
    memo: MemoDep, format: Format = "json", names: Names = "pitwall",
) -> Response:
    """Gap to pole, best lap per segment and the segment each driver went out in, ideal lap
    against the actual best (qualifying and sprint qualifying). Table: the drivers."""
    entry = await _facts("qualifying-overview", key, memo, source)
    if _wants_table(format, names, None):
        return _table_response(key, entry.session, "qualifying-overview",
                               tables.qualifying_table(_typed(entry, QualifyingOverviewFacts)),
                               format, names)
    return await _analysis(AnalysisKind.QUALIFYING_OVERVIEW, entry, narrator, identity)
