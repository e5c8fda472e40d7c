"""Lap routes: the lap table (JSON or CSV), one lap's telemetry, two laps compared."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from pitwall_shared.auth_dependency import CurrentIdentity
from pitwall_shared.contracts.telemetry import LapComparison, LapTable, LapTelemetry
from pitwall_shared.problems import ProblemError
from pitwall_telemetry.api.deps import (
    CSV_RESPONSE,
    PREFIX,
    SESSION_PATH,
    CatalogDep,
    Event,
    FormatQuery,
    NamesQuery,
    SessionName,
    Year,
    export_of,
    memoized_json,
)
from pitwall_telemetry.services.compare import compare_laps, lap_curve
from pitwall_telemetry.services.laps import (
    LapFilter,
    driver_abbreviation,
    driver_abbreviations,
    filter_laps,
    lap_ref,
    pick_lap,
    with_driver_numbers,
)
from pitwall_telemetry.services.traces import (
    lap_samples,
    parse_channels,
    parse_points,
    shape_trace,
    with_session_time,
)
from pitwall_telemetry.snapshots.tables import table_length, to_columns

router = APIRouter(prefix=PREFIX, tags=["telemetry"])

Channels = Annotated[str | None, Query(
    description="Comma-separated: speed, throttle, brake, gear, rpm, drs, x, y, distance, "
    "time. Default distance,speed,throttle,brake,gear", examples=["distance,speed,throttle"])]
Points = Annotated[str | None, Query(
    description="Samples along distance, 10-5000 (default 300), or 'raw' for the recorded "
    "samples", examples=["300"])]
Lap = Annotated[str, Path(description="Lap number or 'fastest'", examples=["fastest"])]


@router.get(f"{SESSION_PATH}/laps", response_model=LapTable,
            summary="Laps (columnar), filterable", responses=CSV_RESPONSE,
            description="format=csv for CSV, names=fastf1 for FastF1's column names.")
async def laps(
    year: Year, event: Event, session: SessionName, request: Request, catalog: CatalogDep,
    identity: CurrentIdentity,
    driver: Annotated[list[str] | None, Query(
        description="One or more drivers (repeat or comma-separate)", examples=["NOR"])] = None,
    compound: Annotated[str | None, Query(examples=["SOFT"])] = None,
    stint: Annotated[int | None, Query(ge=1, le=20)] = None,
    accurate_only: bool = False,
    quick_only: Annotated[bool, Query(description="Within 107 % of the fastest lap")] = False,
    min_lap_time_s: Annotated[float | None, Query(ge=0)] = None,
    max_lap_time_s: Annotated[float | None, Query(ge=0)] = None,
    format: FormatQuery = "json", names: NamesQuery = "pitwall",
) -> Response:
    snap = await catalog.open(year, event, session, caller=identity)
    if min_lap_time_s is not None and max_lap_time_s is not None \
            and min_lap_time_s > max_lap_time_s:
        raise ProblemError(422, "min_lap_time_s is greater than max_lap_time_s.",
                           slug="invalid-range")
    asked = [d for value in driver or [] for d in value.split(",") if d.strip()]
    export = export_of(request, snap, "laps", format, names)

    def build() -> object:
        drivers = driver_abbreviations(snap, asked)
        rows = filter_laps(catalog.table(snap, "laps"), LapFilter(
            drivers, compound, stint, accurate_only, quick_only, min_lap_time_s,
            max_lap_time_s))
        columns = to_columns(rows)
        if names == "fastf1":
            columns = with_driver_numbers(snap, columns)
        return export.body("laps", columns, lambda named: {
            "session": snap.ref, "count": table_length(rows), "laps": named})

    return memoized_json(request, catalog, snap, build, export)


@router.get(f"{SESSION_PATH}/laps/{{driver}}/{{lap}}/telemetry", response_model=LapTelemetry,
            summary="One lap's telemetry, resampled along distance", responses=CSV_RESPONSE,
            description="format=csv for CSV, names=fastf1 for FastF1's column names.")
async def lap_telemetry(
    year: Year, event: Event, session: SessionName,
    driver: Annotated[str, Path(examples=["NOR"])], lap: Lap,
    request: Request, catalog: CatalogDep, identity: CurrentIdentity,
    channels: Channels = None, points: Points = None,
    format: FormatQuery = "json", names: NamesQuery = "pitwall",
) -> Response:
    wanted = parse_channels(channels)
    count = parse_points(points)
    snap = await catalog.open(year, event, session, caller=identity)
    export = export_of(request, snap, f"{driver}-{lap}-telemetry", format, names)

    def build() -> object:
        abbreviation = driver_abbreviation(snap, driver)
        row = pick_lap(catalog.table(snap, "laps"), abbreviation, lap, snap)
        samples = lap_samples(catalog, snap, abbreviation, int(row["lap_number"]))
        trace = shape_trace(samples, wanted, count)
        if names == "fastf1":
            trace = with_session_time(trace, row["lap_start_s"])
        return export.body("telemetry", trace, lambda named: {
            "session": snap.ref, "lap": lap_ref(row),
            "points": len(next(iter(trace.values()))), "resampled": count is not None,
            "channels": named})

    return memoized_json(request, catalog, snap, build, export)


@router.get(f"{SESSION_PATH}/compare", response_model=LapComparison,
            summary="Two laps on one distance grid with delta time (B minus A)")
async def compare(
    year: Year, event: Event, session: SessionName, request: Request, catalog: CatalogDep,
    identity: CurrentIdentity,
    driver_a: Annotated[str, Query(examples=["NOR"])],
    driver_b: Annotated[str, Query(examples=["VER"])],
    lap_a: Annotated[str, Query(examples=["fastest"])] = "fastest",
    lap_b: Annotated[str, Query(examples=["fastest"])] = "fastest",
    channels: Channels = None, points: Points = None,
) -> Response:
    wanted = parse_channels(channels)
    count = parse_points(points)
    if count is None:
        raise ProblemError(422, "points=raw is not possible for a comparison: two laps need "
                           "one common grid.", slug="invalid-points", valid_range=[10, 5000])
    snap = await catalog.open(year, event, session, caller=identity)

    def build() -> object:
        laps_table = catalog.table(snap, "laps")
        curves, refs = [], []
        for driver, lap in ((driver_a, lap_a), (driver_b, lap_b)):
            abbreviation = driver_abbreviation(snap, driver)
            row = pick_lap(laps_table, abbreviation, lap, snap)
            if row["lap_time_s"] is None:
                raise ProblemError(404, f"{abbreviation} lap {row['lap_number']} has no lap "
                                   "time, so no delta can be computed.", slug="lap-not-timed")
            samples = lap_samples(catalog, snap, abbreviation, int(row["lap_number"]))
            curves.append(lap_curve(samples, float(row["lap_time_s"]),
                                    [row["sector1_s"], row["sector2_s"], row["sector3_s"]]))
            refs.append(lap_ref(row))
        return {"session": snap.ref, "a": refs[0], "b": refs[1],
                **compare_laps(curves[0], curves[1], count, wanted)}

    return memoized_json(request, catalog, snap, build)
