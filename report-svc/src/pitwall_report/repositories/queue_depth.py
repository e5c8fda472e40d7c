"""How many report jobs wait and run, for the queue-depth gauges (one indexed COUNT)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pitwall_report.models import ReportJob

ACTIVE = ("queued", "running")


async def active_counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(
        select(ReportJob.status, func.count())
        .where(ReportJob.status.in_(ACTIVE))
        .group_by(ReportJob.status)
    )
    counts = dict.fromkeys(ACTIVE, 0)
    counts.update({status: int(n) for status, n in rows.all()})
    return counts
