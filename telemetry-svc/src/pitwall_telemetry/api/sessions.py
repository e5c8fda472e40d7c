"""Session-level routes: schedule, session info, status, prewarm, circuit, event tables."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from pitwall_shared.auth_dependency import CurrentIdentity
from pitwall_shared.contracts.telemetry import (
    Circuit,
    ScheduleEvent,
    SessionInfo,
    TableResponse,
)
from pitwall_shared.exports import rename_columns
from pitwall_shared.problems import ProblemError
from pitwall_shared.responses import FastJSONResponse
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
    cached_json,
    export_of,
    memoized_json,
)
from pitwall_telemetry.schemas import LoadStatus, SampleSession
from pitwall_telemetry.services.samples import sample_sessions
from pitwall_telemetry.snapshots.tables import table_length, to_columns

router = APIRouter(prefix=PREFIX, tags=["telemetry"])
EVENT_TABLES = {"stints": "stints", "pitstops": "pitstops", "weather": "weather",
                "race-control": "race_control", "track-status": "track_status"}


@router.get("/seasons/{year}/schedule", response_model=list[ScheduleEvent],
            summary="Season schedule: rounds, events and their sessions")
async def schedule(year: Year, request: Request, catalog: CatalogDep,
                   _: CurrentIdentity) -> Response:
    return cached_json(request, None, await catalog.schedule(year))


@router.get("/samples", response_model=list[SampleSession],
            summary="Sessions the shipped sample pack serves offline, newest first")
async def samples(catalog: CatalogDep, _: CurrentIdentity) -> Response:
    return FastJSONResponse(await sample_sessions(catalog))


@router.get(SESSION_PATH, response_model=SessionInfo, responses=CSV_RESPONSE,
            summary="Session info: drivers with team colours, results, notes",
            description="format=csv for the results table, names=fastf1 for FastF1's column "
            "names.")
async def session_info(year: Year, event: Event, session: SessionName, request: Request,
                       catalog: CatalogDep, identity: CurrentIdentity, format: FormatQuery = "json",
                       names: NamesQuery = "pitwall") -> Response:
    snap = await catalog.open(year, event, session, caller=identity)
    export = export_of(request, snap, "results", format, names)

    def build() -> object:
        meta = snap.meta
        return export.body("results", to_columns(catalog.table(snap, "results")),
                           lambda results: {
            "session": snap.ref, "drivers": meta["drivers"], "results": results,
            "has_telemetry": meta.get("has_telemetry", False),
            "snapshot_created_at": meta.get("created_at"),
            "fastf1_version": meta.get("fastf1_version", ""),
            "notes": meta.get("notes", []), "missing": meta.get("missing", []),
            "source": meta.get("source", ""),
        })

    return memoized_json(request, catalog, snap, build, export)


@router.get(f"{SESSION_PATH}/status", response_model=LoadStatus,
            summary="Is the session loaded? not_loaded / loading (stage, progress) / ready / "
            "failed")
async def session_status(year: Year, event: Event, session: SessionName, catalog: CatalogDep,
                         _: CurrentIdentity) -> Response:
    session_id = await catalog.resolve(year, event, session)
    return FastJSONResponse(catalog.status(session_id))


@router.post(f"{SESSION_PATH}/prewarm", status_code=202, response_model=LoadStatus,
             summary="Start loading a session in the background; poll status_url")
async def prewarm(year: Year, event: Event, session: SessionName, request: Request,
                  catalog: CatalogDep, identity: CurrentIdentity) -> Response:
    session_id = await catalog.resolve(year, event, session)
    status = catalog.status(session_id)
    if status["state"] != "ready":
        catalog.admit_load(session_id, identity)  # refusals now, not in the background
        task = asyncio.create_task(_quiet(catalog.snapshot(session_id, caller=identity)))
        request.app.state.background.add(task)
        task.add_done_callback(request.app.state.background.discard)
        await asyncio.sleep(0)  # let the load register itself, so the status says "loading"
        status = catalog.status(session_id)
    status_url = request.url.path.removesuffix("/prewarm") + "/status"
    return FastJSONResponse({**status, "status_url": status_url}, status_code=202,
                            headers={"Location": status_url})


async def _quiet(work: Any) -> None:
    """Prewarm outcomes are read through /status, not raised into the void."""
    with contextlib.suppress(ProblemError):
        await work


@router.get(f"{SESSION_PATH}/circuit", response_model=Circuit, responses=CSV_RESPONSE,
            summary="Circuit corners and a track outline (x, y, distance)",
            description="format=csv for the corners, names=fastf1 for FastF1's names.")
async def circuit(year: Year, event: Event, session: SessionName, request: Request,
                  catalog: CatalogDep, identity: CurrentIdentity, format: FormatQuery = "json",
                  names: NamesQuery = "pitwall") -> Response:
    snap = await catalog.open(year, event, session, caller=identity)
    export = export_of(request, snap, "corners", format, names)

    def build() -> object:
        corners = to_columns(catalog.table(snap, "corners"))
        corners["letter"] = [letter or "" for letter in corners["letter"]]
        outline = to_columns(catalog.table(snap, "outline"))
        return export.body("corners", corners, lambda named: {
            "session": snap.ref, "track_length_m": snap.meta.get("track_length_m"),
            "rotation_deg": snap.meta.get("rotation_deg", 0.0),
            "corners": [dict(zip(named, row, strict=True))
                        for row in zip(*named.values(), strict=True)],
            "outline": rename_columns(outline, names, "telemetry")})

    return memoized_json(request, catalog, snap, build, export)


def _table_route(path: str, table: str, summary: str) -> None:
    async def route(year: Year, event: Event, session: SessionName, request: Request,
                    catalog: CatalogDep, identity: CurrentIdentity, format: FormatQuery = "json",
                    names: NamesQuery = "pitwall") -> Response:
        snap = await catalog.open(year, event, session, caller=identity)
        export = export_of(request, snap, path, format, names)

        def build() -> object:
            rows = catalog.table(snap, table)
            return export.body(table, to_columns(rows), lambda named: {
                "session": snap.ref, "count": table_length(rows), "rows": named})

        return memoized_json(request, catalog, snap, build, export)

    route.__name__ = f"get_{table}"
    router.add_api_route(f"{SESSION_PATH}/{path}", route, methods=["GET"],
                         response_model=TableResponse, summary=summary, responses=CSV_RESPONSE,
                         description="format=csv for CSV, names=fastf1 for FastF1's column names.")


for _path, _table in EVENT_TABLES.items():
    _table_route(_path, _table, f"{_path.replace('-', ' ').capitalize()} (columnar)")
