"""All SQL on report jobs. Owner checks live in the queries, so no caller can forget them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from pitwall_report.models import ReportJob, ReportOwner, utcnow

ACTIVE = ("queued", "running")
FINISHED = ("succeeded", "failed")


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


async def files_of_owner(session: AsyncSession, owner_id: str
                         ) -> list[tuple[str | None, str | None]]:
    """(result key, file name) of each of the owner's reports that has either."""
    result = await session.execute(select(ReportJob.result_key, ReportJob.file_name).where(
        ReportJob.owner_id == owner_id,
        (ReportJob.file_name.is_not(None)) | (ReportJob.result_key.is_not(None))))
    return list(result.tuples())


async def delete_all_owned(session: AsyncSession, owner_id: str) -> int:
    result = await session.execute(delete(ReportJob).where(ReportJob.owner_id == owner_id))
    await session.execute(delete(ReportOwner).where(ReportOwner.owner_id == owner_id))
    return _rowcount(result)


async def _touch_owner(session: AsyncSession, owner_id: str) -> bool:
    result = await session.execute(
        update(ReportOwner).where(ReportOwner.owner_id == owner_id).values(checked_at=utcnow())
    )
    return _rowcount(result) == 1


async def lock_owner(session: AsyncSession, owner_id: str) -> None:
    """Hold the owner's lock row until this transaction ends; call it FIRST in the transaction.

    A write is the one statement that serialises on both databases: MariaDB row-locks it, and
    SQLite takes its single writer lock. Reads after it see every transaction that held the
    lock before (MariaDB's snapshot starts at the first plain read; SQLite's writer always
    reads the newest data). A new owner's row is created in its own short transaction, so two
    first requests racing cannot deadlock on MariaDB's gap locks.
    """
    if await _touch_owner(session, owner_id):
        return
    await session.rollback()  # nothing else was done yet; drop the gap lock before inserting
    async with AsyncSession(session.bind) as own:
        try:
            own.add(ReportOwner(owner_id=owner_id, checked_at=utcnow()))
            await own.commit()
        except IntegrityError:  # a concurrent request of the same owner created it
            await own.rollback()
    if not await _touch_owner(session, owner_id):
        raise RuntimeError(f"report owner row {owner_id!r} vanished while being locked")


async def owner_counts(session: AsyncSession, owner_id: str) -> tuple[int, int]:
    """(jobs queued or running, reports stored in any status) of one owner."""
    row = (await session.execute(
        select(func.count(), func.coalesce(func.sum(case((ReportJob.status.in_(ACTIVE), 1),
                                                        else_=0)), 0))
        .where(ReportJob.owner_id == owner_id)
    )).one()
    return int(row[1]), int(row[0])


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


async def next_owner(session: AsyncSession) -> str | None:
    """The owner whose queued work should run next: fewest jobs running first (across all
    replicas, since the table is shared), then the one served least recently (never served
    first), then the one whose oldest queued job has waited longest. So one owner's long queue
    delays another owner's job by at most the jobs already claimed.

    NULLs sort first in ascending order on both MariaDB and SQLite, which puts owners never
    served ahead; neither accepts ``NULLS FIRST`` portably.
    """
    queued = aliased(ReportJob)
    other = aliased(ReportJob)
    running = (select(func.count()).select_from(other)
               .where(other.owner_id == queued.owner_id, other.status == "running")
               .scalar_subquery())
    last_served = (select(func.max(other.started_at))
                   .where(other.owner_id == queued.owner_id)
                   .scalar_subquery())
    return await session.scalar(
        select(queued.owner_id)
        .where(queued.status == "queued")
        .group_by(queued.owner_id)
        .order_by(running, last_served, func.min(queued.created_at), queued.owner_id)
        .limit(1)
    )


OWNER_PICKS = 5


async def next_queued_id(session: AsyncSession) -> str | None:
    """The oldest queued job of the owner whose turn it is."""
    for _ in range(OWNER_PICKS):
        owner = await next_owner(session)
        if owner is None:
            return None
        job_id = await session.scalar(
            select(ReportJob.id)
            .where(ReportJob.owner_id == owner, ReportJob.status == "queued")
            .order_by(ReportJob.created_at, ReportJob.id)
            .limit(1)
        )
        if job_id is not None:
            return job_id
        # Another worker claimed that owner's last queued job between the two reads (a
        # database that reads each statement afresh, such as SQLite): ask whose turn it is
        # again rather than report an empty queue.
    return None


async def claim_next(session: AsyncSession) -> tuple[str, int | None] | None:
    """Claim the next job in fair order: (job id, attempt number), None when nothing is
    queued. The attempt is None when another worker claimed that job first (pick again, in a
    new transaction: this one's snapshot would offer the same job)."""
    job_id = await next_queued_id(session)
    if job_id is None:
        return None
    return job_id, await claim(session, job_id)


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


async def expired(session: AsyncSession, finished_before: datetime, limit: int
                  ) -> list[tuple[str, str | None, str | None]]:
    """(id, file name, result key) of finished reports older than the retention period,
    oldest first."""
    rows = await session.execute(
        select(ReportJob.id, ReportJob.file_name, ReportJob.result_key)
        .where(ReportJob.status.in_(FINISHED), ReportJob.finished_at < finished_before)
        .order_by(ReportJob.finished_at)
        .limit(limit)
    )
    return list(rows.tuples())


async def delete_expired(session: AsyncSession, job_ids: list[str], finished_before: datetime
                         ) -> int:
    """Delete those of ``job_ids`` that are still finished and expired (a retried one is not)."""
    result = await session.execute(
        delete(ReportJob).where(ReportJob.id.in_(job_ids), ReportJob.status.in_(FINISHED),
                                ReportJob.finished_at < finished_before)
    )
    return _rowcount(result)
