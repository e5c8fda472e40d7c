"""Report job routes. Every lookup is scoped to the caller: another user's report is a 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from starlette.responses import FileResponse

from pitwall_report.api.deps import (
    FilesDep,
    JobRunnerDep,
    QuotasDep,
    SessionDep,
    UpstreamsDep,
)
from pitwall_report.schemas import DeletedReports, ReportCreate, ReportOut, ReportPage, ReportStatus
from pitwall_report.services import charts as chart_service
from pitwall_report.services import reports as report_service
from pitwall_shared.auth_dependency import CurrentIdentity

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


@router.post(
    "",
    status_code=202,
    response_model=ReportOut,
    summary="Queue a PDF report",
    responses={202: {"description": "Queued; poll the Location for progress"},
               201: {"model": ReportOut,
                     "description": "Already done: an identical report (same session, "
                                    "drivers, laps, style, title and data snapshot) was "
                                    "reused; the job has succeeded and its PDF is ready"},
               429: {"description": "A quota is reached: reports queued or running at once "
                                    "(with Retry-After), or reports stored"}},
)
async def create_report(
    body: ReportCreate,
    identity: CurrentIdentity,
    db: SessionDep,
    upstreams: UpstreamsDep,
    runner: JobRunnerDep,
    quotas: QuotasDep,
    files: FilesDep,
    response: Response,
) -> ReportOut:
    """Kinds: ``lap_comparison`` (two drivers), ``race_pace`` (drivers), ``session_summary``.
    The plot style is ``style`` if given, else the caller's saved preference."""
    version = await report_service.check_session(upstreams.telemetry, body, identity)
    style = await chart_service.choose_style(body.style, identity, upstreams.auth)
    created = await report_service.create(db, files, body, identity, style, quotas, version)
    await db.commit()  # committed before the workers are woken, so they can see it
    if created.status == "succeeded":
        response.status_code = 201
    else:
        runner.wake()
    response.headers["Location"] = f"/api/v1/reports/{created.id}"
    return created


@router.get("", response_model=ReportPage, summary="List my reports, newest first")
async def list_reports(
    identity: CurrentIdentity,
    db: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    status: ReportStatus | None = None,
) -> ReportPage:
    return await report_service.list_mine(db, identity, limit=limit, offset=offset,
                                          status=status)


@router.delete("/mine", response_model=DeletedReports,
               summary="Delete all my reports and their files (account deletion)")
async def delete_my_reports(
    identity: CurrentIdentity, db: SessionDep, files: FilesDep
) -> DeletedReports:
    return DeletedReports(deleted=await report_service.delete_all(db, files, identity))


ReportId = Annotated[str, Path(min_length=1, max_length=64, description="Report id")]


@router.get("/{report_id}", response_model=ReportOut, summary="Status, progress and stage")
async def get_report(report_id: ReportId, identity: CurrentIdentity, db: SessionDep) -> ReportOut:
    return await report_service.get(db, report_id, identity)


@router.get(
    "/{report_id}/pdf",
    response_class=FileResponse,
    summary="Download the PDF (409 until it is ready)",
    responses={200: {"content": {"application/pdf": {}}, "description": "The report"}},
)
async def download_report(
    report_id: ReportId, identity: CurrentIdentity, db: SessionDep, files: FilesDep
) -> FileResponse:
    path, job = await report_service.pdf_path(db, files, report_id, identity)
    # FileResponse streams the file in chunks rather than loading it into memory.
    return FileResponse(
        path,
        media_type="application/pdf",
        filename=f"pitwall-{job.kind.replace('_', '-')}-{job.id[:8]}.pdf",
        headers={"Cache-Control": "private, no-store"},
    )


@router.delete("/{report_id}", status_code=204, summary="Delete a report and its file")
async def delete_report(
    report_id: ReportId, identity: CurrentIdentity, db: SessionDep, files: FilesDep
) -> Response:
    await report_service.delete(db, files, report_id, identity)
    return Response(status_code=204)


@router.post("/{report_id}/retry", status_code=202, response_model=ReportOut,
             summary="Queue a failed report again",
             responses={429: {"description": "Too many reports queued or running at once"}})
async def retry_report(
    report_id: ReportId, identity: CurrentIdentity, db: SessionDep, runner: JobRunnerDep,
    quotas: QuotasDep,
) -> ReportOut:
    retried = await report_service.retry(db, report_id, identity, quotas)
    await db.commit()
    runner.wake()
    return retried
