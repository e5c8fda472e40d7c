"""Retention and leftovers: deletes finished reports past ``REPORT_RETENTION_DAYS`` (file and
row), and files no row refers to any more.

Order for expired reports: the FILE goes first, then the row. A crash in between leaves a row
whose file is gone; the row is still expired, so the next sweep deletes it, and until then a
download answers 410 (``report-file-missing``), never a broken file. The other order would
leave a file no row names, found only by the leftover scan below.

Leftovers come from crashes elsewhere: a user's delete removes the row before the file (so a
report is never listed without its file), and a write interrupted mid-way leaves a temp file.
Files untouched for ``LEFTOVER_AGE_S`` whose job has no row are removed; the age keeps a
running job's fresh file safe. Every replica may sweep: each step is idempotent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pitwall_report.repositories import reports as repo
from pitwall_report.services.storage import ReportFiles
from pitwall_shared.db import session_scope
from pitwall_shared.orm_types import utcnow

log = logging.getLogger("pitwall.report.sweeper")

BATCH = 200
LEFTOVER_AGE_S = 3600.0


@dataclass(frozen=True)
class Swept:
    expired: int
    leftover_files: int


class Sweeper:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], files: ReportFiles, *,
                 retention: timedelta, interval_s: float,
                 leftover_age_s: float = LEFTOVER_AGE_S) -> None:
        self._sessions = sessions
        self._files = files
        self._retention = retention
        self._interval_s = interval_s
        self._leftover_age_s = leftover_age_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="report-sweeper")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            try:
                swept = await self.sweep()
                if swept.expired or swept.leftover_files:
                    log.info("swept %d expired report(s) and %d leftover file(s)",
                             swept.expired, swept.leftover_files)
            except Exception:  # the database may be down: try again next time
                log.exception("report sweep failed")
            await asyncio.sleep(self._interval_s)

    async def sweep(self) -> Swept:
        return Swept(await self.purge_expired(), await self.remove_leftovers())

    async def purge_expired(self) -> int:
        cutoff = utcnow() - self._retention
        purged = 0
        while True:
            async with session_scope(self._sessions) as session:
                batch = await repo.expired(session, cutoff, BATCH)
            if not batch:
                return purged
            await asyncio.to_thread(self._files.remove, [name for _, name in batch if name])
            async with session_scope(self._sessions) as session:
                purged += await repo.delete_expired(session, [job for job, _ in batch], cutoff)
            if len(batch) < BATCH:
                return purged

    async def remove_leftovers(self) -> int:
        reports, other = await asyncio.to_thread(self._files.stale_entries,
                                                 self._leftover_age_s)
        known: set[str] = set()
        job_ids = list(reports)
        for start in range(0, len(job_ids), BATCH):
            async with session_scope(self._sessions) as session:
                known |= await repo.existing_ids(session, job_ids[start:start + BATCH])
        doomed = other + [name for job, names in reports.items() if job not in known
                          for name in names]
        await asyncio.to_thread(self._files.remove, doomed)
        return len(doomed)
