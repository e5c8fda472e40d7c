"""All SQL on content-addressed results and on who still names a file.

A result row is the lock of its key: reuse, save and delete each update it first in their
transaction (MariaDB row-locks it; SQLite takes its single writer lock), so a reuse and the
delete of the last job naming the file cannot interleave.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_report.models import ReportJob, ReportResult, utcnow


async def find(session: AsyncSession, key: str) -> ReportResult | None:
    """A plain read: no lock, so a miss leaves no gap lock behind on MariaDB."""
    return await session.scalar(select(ReportResult).where(ReportResult.result_key == key))


async def lock(session: AsyncSession, key: str) -> ReportResult | None:
    """Lock the key's row until this transaction ends; None when there is no such row."""
    result = await session.execute(
        update(ReportResult).where(ReportResult.result_key == key).values(used_at=utcnow()))
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        return None
    return await session.scalar(select(ReportResult).where(ReportResult.result_key == key)
                                .execution_options(populate_existing=True))


async def lock_all(session: AsyncSession, keys: Iterable[str]) -> dict[str, ReportResult]:
    """Lock several keys, always in sorted order, so two deletes cannot deadlock."""
    locked = {}
    for key in sorted(set(keys)):
        row = await lock(session, key)
        if row is not None:
            locked[key] = row
    return locked


async def add(session: AsyncSession, row: ReportResult) -> None:
    """Raises ``IntegrityError`` when another run stored the same key first."""
    async with session.begin_nested():
        session.add(row)


async def remove(session: AsyncSession, keys: Iterable[str]) -> None:
    keys = list(keys)
    if keys:
        await session.execute(delete(ReportResult).where(ReportResult.result_key.in_(keys)))


async def named_by_jobs(session: AsyncSession, names: Iterable[str]) -> set[str]:
    """Those of ``names`` that some job row still names (the file's reference count > 0)."""
    return await named_by_jobs_except(session, names, [])


async def named_by_jobs_except(session: AsyncSession, names: Iterable[str],
                               job_ids: list[str]) -> set[str]:
    """Those of ``names`` that a job row other than ``job_ids`` names.

    A locking read: it sees the newest committed rows, not the snapshot MariaDB took at the
    transaction's first plain read (which may predate a reuse that committed while this
    transaction waited for the result's lock)."""
    names = list(names)
    if not names:
        return set()
    query = select(ReportJob.file_name).where(ReportJob.file_name.in_(names))
    if job_ids:
        query = query.where(ReportJob.id.not_in(job_ids))
    rows = await session.execute(query.with_for_update(read=True))
    return {name for name in rows.scalars() if name}


async def named_files(session: AsyncSession, names: list[str]) -> set[str]:
    """Those of ``names`` that a job or a result row names: not leftovers."""
    if not names:
        return set()
    results = await session.execute(
        select(ReportResult.file_name).where(ReportResult.file_name.in_(names)))
    return await named_by_jobs(session, names) | set(results.scalars())
