"""Report jobs as the API sees them: create, read, list, delete, retry, download."""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_report.models import ReportJob
from pitwall_report.repositories import reports as repo
from pitwall_report.schemas import ReportCreate, ReportOut, ReportPage
from pitwall_report.services import results
from pitwall_report.services.chart_inputs import session_label
from pitwall_report.services.charts import ChosenStyle
from pitwall_report.services.quotas import Quotas, admit
from pitwall_report.services.storage import ReportFiles
from pitwall_report.services.upstreams import SessionKey, TelemetryApi
from pitwall_shared.problem_types import RACE_SESSION_CODES, unknown_driver, wrong_session_type
from pitwall_shared.problems import ProblemError
from pitwall_shared.tokens import Identity

log = logging.getLogger("pitwall.report.reports")
KIND_TITLES = {
    "lap_comparison": "Lap comparison",
    "race_pace": "Race pace",
    "session_summary": "Session summary",
}


def not_found(job_id: str) -> ProblemError:
    # The same answer whether the report does not exist or belongs to someone else.
    return ProblemError(404, f"No report {job_id} among yours.", slug="report-not-found")


def to_out(job: ReportJob) -> ReportOut:
    out = ReportOut.model_validate(job)
    if job.status == "succeeded":
        out.pdf_url = f"/api/v1/reports/{job.id}/pdf"
    return out


def default_title(body: ReportCreate) -> str:
    who = " vs ".join(body.drivers) if body.kind == "lap_comparison" else ", ".join(body.drivers)
    parts = [KIND_TITLES[body.kind], f"{body.year} {body.event} {body.session}"]
    return " · ".join([*parts, who] if who else parts)[:200]


async def check_session(telemetry: TelemetryApi, body: ReportCreate, identity: Identity
                        ) -> str | None:
    """Refuse a session or driver that does not exist, before anything is stored; answers the
    version of the session's data (its snapshot's ETag), which the result key includes.

    When telemetry-svc is down the job is accepted anyway (it is durable and will retry),
    without a version: that job renders its own file.
    """
    key = SessionKey(body.year, body.event, body.session)
    if body.kind == "race_pace" and body.session not in RACE_SESSION_CODES:
        raise wrong_session_type("A race pace report", body.session,
                                 f"{body.year} {body.event} {body.session}", RACE_SESSION_CODES,
                                 ["lap_comparison", "session_summary"])
    try:
        info, version = await telemetry.versioned_session_info(key, identity.token)
    except ProblemError as exc:
        if exc.status >= 500:
            log.warning("could not check session %s before queueing: %s", key, exc.detail)
            return None
        raise
    known = {driver.abbreviation for driver in info.drivers}
    unknown = [code for code in body.drivers if code not in known]
    if unknown:
        raise unknown_driver(unknown, known, session_label(info))
    return version


async def create(
    session: AsyncSession, files: ReportFiles, body: ReportCreate, identity: Identity,
    style: ChosenStyle, quotas: Quotas, data_version: str | None,
) -> ReportOut:
    """A queued job, or, when an identical report exists, a finished one sharing its file."""
    await admit(session, identity.user_id, quotas, adds_report=True)
    params = body.job_params(style.name)
    if body.title:
        params["title"] = body.title
    job = ReportJob(
        id=str(uuid.uuid4()), owner_id=identity.user_id, kind=body.kind,
        title=body.title or default_title(body), params=params, status="queued",
        stage="queued", progress=0, attempts=0,
        result_key=results.result_key(body.kind, params, data_version) if data_version else None,
    )
    await results.reuse(session, files, job)
    await repo.add(session, job)
    await session.refresh(job)
    return to_out(job)


async def get(session: AsyncSession, job_id: str, identity: Identity) -> ReportOut:
    job = await repo.get_owned(session, job_id, identity.user_id)
    if job is None:
        raise not_found(job_id)
    return to_out(job)


async def list_mine(
    session: AsyncSession, identity: Identity, *, limit: int, offset: int, status: str | None
) -> ReportPage:
    jobs, total = await repo.list_owned(
        session, identity.user_id, limit=limit, offset=offset, status=status
    )
    return ReportPage(items=[to_out(j) for j in jobs], total=total, limit=limit, offset=offset)


async def delete(
    session: AsyncSession, files: ReportFiles, job_id: str, identity: Identity
) -> None:
    job = await repo.get_owned(session, job_id, identity.user_id)
    if job is None:
        raise not_found(job_id)

    async def delete_row() -> None:
        await repo.delete_owned(session, job_id, identity.user_id)

    unused = await results.release(session, [(job.result_key, job.file_name)], delete_row)
    # The row goes first: a file without a row is only garbage (the sweeper's), and a file
    # another report still names is not removed at all. A job deleted mid-run removes its
    # own file when it cannot save.
    await session.commit()
    await asyncio.to_thread(files.remove, unused)


async def delete_all(session: AsyncSession, files: ReportFiles, identity: Identity) -> int:
    """Every report of the caller (account deletion); files other users share are kept."""
    deleted = 0

    async def delete_rows() -> None:
        nonlocal deleted
        deleted = await repo.delete_all_owned(session, identity.user_id)

    owned = await repo.files_of_owner(session, identity.user_id)
    unused = await results.release(session, owned, delete_rows)
    await session.commit()
    await asyncio.to_thread(files.remove, unused)
    return deleted


async def retry(session: AsyncSession, job_id: str, identity: Identity, quotas: Quotas
                ) -> ReportOut:
    await admit(session, identity.user_id, quotas, adds_report=False)
    job = await repo.get_owned(session, job_id, identity.user_id)
    if job is None:
        raise not_found(job_id)
    if not await repo.requeue_failed(session, job_id, identity.user_id):
        raise ProblemError(409, f"Only a failed report can be retried; this one is {job.status}.",
                           slug="report-not-failed", status_value=job.status)
    await session.refresh(job)
    return to_out(job)


async def pdf_path(
    session: AsyncSession, files: ReportFiles, job_id: str, identity: Identity
) -> tuple[Path, ReportJob]:
    job = await repo.get_owned(session, job_id, identity.user_id)
    if job is None:
        raise not_found(job_id)
    if job.status != "succeeded" or not job.file_name:
        raise ProblemError(409, f"The report is not ready (status {job.status}, "
                           f"{job.progress} %).", slug="report-not-ready",
                           status_value=job.status, progress=job.progress)
    path = files.path(job.file_name)
    if not await asyncio.to_thread(path.is_file):
        raise ProblemError(410, "The report file is gone; create the report again.",
                           slug="report-file-missing")
    return path, job
