"""All SQL on report jobs. Owner checks live in the queries, so no caller can forget them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_report.models import ReportJob, utcnow


def _rowcount(result: Any) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


async def add(session: AsyncSession, job: ReportJob) -> ReportJob:
    session.add(job)
    await session.flush()
    return job


async def get_owned(session: AsyncSession, job_id: str, owner_id: str) -> ReportJob | None:
    result = await session.execute(
        select(ReportJob).where(ReportJob.id == job_id, ReportJob.owner_id == owner_id)
    )
    return result.scalar_one_or_none()


async def get(session: AsyncSession, job_id: str) -> ReportJob | None:
    return await session.get(ReportJob, job_id)


async def list_owned(
    session: AsyncSession, owner_id: str, *, limit: int, offset: int, status: str | None = None
) -> tuple[list[ReportJob], int]:
    filters = [ReportJob.owner_id == owner_id]
    if status:
        filters.append(ReportJob.status == status)
    total = await session.scalar(select(func.count()).select_from(ReportJob).where(*filters))
    rows = await session.execute(
        select(ReportJob)
        .where(*filters)
        .order_by(ReportJob.created_at.desc(), ReportJob.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(rows.scalars()), int(total or 0)


async def delete_owned(session: AsyncSession, job_id: str, owner_id: str) -> bool:
    result = await session.execute(
        delete(ReportJob).where(ReportJob.id == job_id, ReportJob.owner_id == owner_id)
    )
    return _rowcount(result) == 1


async def file_names_of_owner(session: AsyncSession, owner_id: str) -> list[str]:
    result = await session.execute(
        select(ReportJob.file_name).where(
            ReportJob.owner_id == owner_id, ReportJob.file_name.is_not(None)
        )
    )
    return [name for name in result.scalars() if name]


async def delete_all_owned(session: AsyncSession, owner_id: str) -> int:
    result = await session.execute(delete(ReportJob).where(ReportJob.owner_id == owner_id))
    return _rowcount(result)


async def requeue_abandoned(session: AsyncSession, silent_since: datetime) -> int:
    """Put running jobs whose runner has not been heard of since ``silent_since`` back in the
    queue: their process died. A live runner touches ``updated_at`` well within its lease."""
    result = await session.execute(
        update(ReportJob)
        .where(ReportJob.status == "running", ReportJob.updated_at < silent_since)
        .values(status="queued", stage="queued (resumed: its worker stopped)", progress=0,
                updated_at=utcnow())
    )
    return _rowcount(result)


async def next_queued_id(session: AsyncSession) -> str | None:
    return await session.scalar(
        select(ReportJob.id)
        .where(ReportJob.status == "queued")
        .order_by(ReportJob.created_at, ReportJob.id)
        .limit(1)
    )


async def claim(session: AsyncSession, job_id: str) -> int | None:
    """Move one queued job to running and return its attempt number, or None when another
    worker got there first. The attempt number fences every later write of this run: once
    the job is claimed again (its runner fell silent), the old runner's writes match nothing.
    """
    now = utcnow()
    result = await session.execute(
        update(ReportJob)
        .where(ReportJob.id == job_id, ReportJob.status == "queued")
        .values(status="running", stage="starting", progress=1, error=None,
                attempts=ReportJob.attempts + 1, started_at=now, finished_at=None,
                updated_at=now)
    )
    if _rowcount(result) != 1:
        return None
    return await session.scalar(select(ReportJob.attempts).where(ReportJob.id == job_id))


def _this_run(job_id: str, attempt: int) -> tuple[Any, ...]:
    return (ReportJob.id == job_id, ReportJob.status == "running",
            ReportJob.attempts == attempt)


async def set_progress(session: AsyncSession, job_id: str, attempt: int, progress: int,
                       stage: str) -> bool:
    result = await session.execute(
        update(ReportJob)
        .where(*_this_run(job_id, attempt))
        .values(progress=progress, stage=stage, updated_at=utcnow())
    )
    return _rowcount(result) == 1


async def heartbeat(session: AsyncSession, job_id: str, attempt: int) -> bool:
    """Renew this run's lease; False when the job is no longer this run's."""
    result = await session.execute(
        update(ReportJob).where(*_this_run(job_id, attempt)).values(updated_at=utcnow())
    )
    return _rowcount(result) == 1


async def mark_succeeded(
    session: AsyncSession, job_id: str, attempt: int, *, file_name: str, file_size: int,
    page_count: int,
) -> bool:
    now = utcnow()
    result = await session.execute(
        update(ReportJob)
        .where(*_this_run(job_id, attempt))
        .values(status="succeeded", stage="done", progress=100, file_name=file_name,
                file_size=file_size, page_count=page_count, finished_at=now, updated_at=now)
    )
    return _rowcount(result) == 1


async def mark_failed(session: AsyncSession, job_id: str, attempt: int, reason: str, *,
                      stage: str) -> bool:
    now = utcnow()
    result = await session.execute(
        update(ReportJob)
        .where(*_this_run(job_id, attempt))
        .values(status="failed", stage=stage, error=reason[:2000], finished_at=now,
                updated_at=now)
    )
    return _rowcount(result) == 1


async def requeue_running(session: AsyncSession, job_id: str, attempt: int, stage: str) -> bool:
    """Back to the queue after a transient failure or a shutdown (the attempt count is kept)."""
    result = await session.execute(
        update(ReportJob)
        .where(*_this_run(job_id, attempt))
        .values(status="queued", stage=stage[:64], progress=0, updated_at=utcnow())
    )
    return _rowcount(result) == 1


async def requeue_failed(session: AsyncSession, job_id: str, owner_id: str) -> bool:
    result = await session.execute(
        update(ReportJob)
        .where(ReportJob.id == job_id, ReportJob.owner_id == owner_id,
               ReportJob.status == "failed")
        .values(status="queued", stage="queued (retry)", progress=0, error=None,
                finished_at=None, updated_at=utcnow())
    )
    return _rowcount(result) == 1
